package dev.corral.supervisor;

import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.RecoverTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RecoverTask: the containers found in {@code --root} at start join the table. Those that exited
 * while no daemon watched get their {@code exit} event now, with the code and time conmon wrote;
 * anyone who asks later is answered from the record, as for any stopped container.
 *
 * <p>Loop thread only.
 */
final class RecoverHandler {
  private static final Logger log = LoggerFactory.getLogger(RecoverHandler.class);
  private final LoopContext ctx;

  RecoverHandler(LoopContext ctx) {
    this.ctx = ctx;
  }

  void recover(RecoverTask t) {
    for (RecoveredContainer r : t.containers()) {
      if (ctx.table().get(r.id()) != null) {
        log.warn("container {}: recovered twice; keeping the first", r.id());
        continue;
      }
      Container c = Container.recovered(r);
      ctx.table().put(c);
      if (r.exitUnreported()) {
        RecoveredContainer.Exit e = r.exit();
        ctx.events().emit(EventType.EXIT, c.id(), ContainerJobs.INIT, e.code(), e.reason());
        ctx.persist(c);
      }
    }
    t.reply().complete(null);
  }
}
