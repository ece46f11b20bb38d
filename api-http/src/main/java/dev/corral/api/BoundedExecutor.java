package dev.corral.api;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs short, non-blocking tasks on a pool with at most {@code limit} of its threads at a time: the
 * tasks queue here and a few pool threads drain them. For bursts that would otherwise start a pool
 * thread per task: the loop completing a thousand long polls in one turn hands a thousand answers
 * to Jetty's pool, which starts a thread whenever a job finds none idle (up to its cap) and lets
 * them go one per idle timeout. A task that blocks would hold up the others: only quick ones here.
 *
 * <p>Thread-safe.
 */
final class BoundedExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(BoundedExecutor.class);

  private final Executor pool;
  private final int limit;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>(); // any thread
  private final AtomicInteger draining = new AtomicInteger(); // any thread; at most limit

  BoundedExecutor(Executor pool, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit: " + limit);
    }
    this.pool = pool;
    this.limit = limit;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (claim()) {
      try {
        pool.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining.decrementAndGet();
        tasks.remove(task);
        throw e;
      }
    }
  }

  /** Takes a drainer's slot if one is free. */
  private boolean claim() {
    for (int n = draining.get(); n < limit; n = draining.get()) {
      if (draining.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  private void drain() {
    do {
      for (Runnable t; (t = tasks.poll()) != null; ) {
        try {
          t.run();
        } catch (RuntimeException e) {
          log.error("task failed", e);
        }
      }
      draining.decrementAndGet();
      // A task queued after the last poll whose execute saw every slot taken is still ours.
    } while (!tasks.isEmpty() && claim());
  }
}
