package dev.corral.supervisor;

import dev.corral.supervisor.ReportedEvents.Seen;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.RecoverTask;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RecoverTask: the containers found in {@code --root} at start join the table, with their execs.
 * Every exit that happened while no daemon watched is reported now, exactly once: with the code and
 * time conmon wrote, unless the journal shows the last daemon reported it just before it died (its
 * record is only written after the event is journaled). An exec's exit comes before its
 * container's. Anyone who asks later is answered from the table, as for any stopped process.
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
    Set<String> ids =
        t.containers().stream().map(RecoveredContainer::id).collect(Collectors.toSet());
    ReportedEvents reported = ReportedEvents.of(ctx.events().retained(), ids);
    for (RecoveredContainer r : t.containers()) {
      if (ctx.table().get(r.id()) != null) {
        log.warn("container {}: recovered twice; keeping the first", r.id());
        continue;
      }
      Container c = Container.recovered(r);
      ctx.table().put(c);
      r.execs().forEach(x -> addExec(c, x, reported));
      if (r.exitUnreported()) {
        RecoveredContainer.Exit e = r.exit();
        if (reported.seen(c.id(), ContainerJobs.INIT) != Seen.EXITED) {
          ctx.events().emit(EventType.EXIT, c.id(), ContainerJobs.INIT, e.code(), e.reason());
        }
        ctx.persist(c);
      }
    }
    t.reply().complete(null);
  }

  private void addExec(Container c, RecoveredExec x, ReportedEvents reported) {
    ExecProcess e = ExecProcess.recovered(x.record(), x.exit());
    c.execs().put(e.id(), e);
    if (x.record().exited()) {
      return; // reported by the last daemon, and recorded after its event was journaled
    }
    Seen seen = reported.seen(c.id(), e.id());
    if (seen == Seen.NOTHING) {
      // The last daemon died between recording the exec and telling anyone it runs.
      ctx.events().emit(EventType.START_PROCESS, c.id(), e.id(), null);
    }
    if (x.exitUnrecorded()) {
      if (seen != Seen.EXITED) {
        RecoveredContainer.Exit exit = x.exit();
        ctx.events().emit(EventType.EXIT, c.id(), e.id(), exit.code(), exit.reason());
      }
      ctx.status().writeExec(c.id(), e.record());
    }
  }
}
