package dev.corral.supervisor.exit;

import dev.corral.core.Ids;
import dev.corral.metrics.MetricCatalog;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.task.OOMTask;
import dev.corral.supervisor.thread.LoopGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OOMTask: the kernel killed something in a container for want of memory. Emits {@code oom} and
 * marks the container, whose exit then carries reason "OOMKilled" and {@code oomKilled: true}. The
 * monitor publishes it before the exit it caused, so the ring already has the order; an OOM that
 * lands while the start result is still on its way is held and emitted right after {@code
 * start-container}, when the {@link ExitHandler} says the start is recorded.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class OOMHandler {
  private static final Logger log = LoggerFactory.getLogger(OOMHandler.class);

  private final LoopGuard guard;
  private final ContainerTable table;
  private final EventLog events;
  private final MetricCatalog metrics;

  public OOMHandler(LoopGuard guard, ContainerTable table, EventLog events, MetricCatalog metrics) {
    this.guard = guard;
    this.table = table;
    this.events = events;
    this.metrics = metrics;
  }

  public void oom(OOMTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    if (c == null || c.status() == ContainerStatus.STOPPED || !c.markOomKilled()) {
      log.debug("oom of {} that is not running; ignored", t.id());
      return;
    }
    if (c.status() == ContainerStatus.RUNNING) {
      emit(c);
    }
  }

  /** After start-container: the OOM that arrived while the container was being created. */
  void started(Container c) {
    assert guard.inLoop();
    if (c.oomKilled()) {
      emit(c);
    }
  }

  private void emit(Container c) {
    log.info("container {}: OOM kill", c.ref());
    metrics.oomKills.inc();
    events.emit(EventType.OOM, c.ref(), Ids.INIT, null);
  }
}
