package dev.corral.supervisor;

import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.OOMTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OOMTask: the kernel killed something in a container for want of memory. Emits {@code oom} and
 * marks the container, whose exit then carries reason "OOMKilled" and {@code oomKilled: true}. The
 * monitor publishes it before the exit it caused, so the ring already has the order; an OOM that
 * lands while the start result is still on its way is held and emitted right after {@code
 * start-container}.
 *
 * <p>Loop thread only.
 */
final class OomHandler {
  private static final Logger log = LoggerFactory.getLogger(OomHandler.class);

  private final LoopContext ctx;

  OomHandler(LoopContext ctx) {
    this.ctx = ctx;
  }

  void oom(OOMTask t) {
    Container c = ctx.table().get(t.containerId());
    if (c == null || c.status() == ContainerStatus.STOPPED || !c.markOomKilled()) {
      log.debug("oom of {} that is not running; ignored", t.containerId());
      return;
    }
    if (c.status() == ContainerStatus.RUNNING) {
      emit(c);
    }
  }

  /** After start-container: the OOM that arrived while the container was being created. */
  void started(Container c) {
    if (c.oomKilled()) {
      emit(c);
    }
  }

  private void emit(Container c) {
    log.info("container {}: OOM kill", c.id());
    ctx.metrics().oomKills.inc();
    ctx.events().emit(EventType.OOM, c.id(), ContainerJobs.INIT, null);
  }
}
