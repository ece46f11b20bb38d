package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.supervisor.task.StatsTask;

/**
 * StatsTask: checks on the loop that the container is alive, then a worker reads its cgroup files
 * and answers the caller itself (reading files never happens on the loop, and changes no state).
 *
 * <p>Loop thread only.
 */
final class StatsHandler {
  private final LoopContext ctx;

  StatsHandler(LoopContext ctx) {
    this.ctx = ctx;
  }

  void stats(StatsTask t) {
    Container c = ctx.require(t.id());
    if (!c.live()) {
      throw CorralException.failedPrecondition(
          "container %s: is %s, not running", c.id(), c.status().wireName());
    }
    ctx.workers().execute(ctx.jobs().live().stats(c.id(), t.reply()));
  }
}
