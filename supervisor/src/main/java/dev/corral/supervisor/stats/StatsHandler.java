package dev.corral.supervisor.stats;

import dev.corral.core.CorralException;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.task.StatsTask;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.concurrent.Executor;

/**
 * StatsTask: checks on the loop that the container is alive, then {@link StatsJob} reads its cgroup
 * files on a worker (reading files never happens on the loop, and changes no state) and publishes
 * the answer.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class StatsHandler {
  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final StatsJob job;

  public StatsHandler(LoopGuard guard, ContainerTable table, Executor workers, StatsJob job) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
  }

  public void stats(StatsTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    if (!c.live()) {
      throw CorralException.failedPrecondition(
          "container %s: is %s, not running", c.ref(), c.status().wireName());
    }
    workers.execute(job.stats(c.ref(), c.cgroupsPath(), t.reply()));
  }
}
