package dev.corral.supervisor.loop;

import dev.corral.core.CorralException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded pool of named worker threads that do the slow, blocking work (conmon, runc). A full
 * queue is refused, never waited for, so the loop that submits never blocks. A worker never touches
 * the container table: its outcome goes back to the loop as a task.
 *
 * <p>Thread-safe.
 */
public final class Workers implements Executor {
  private static final Logger log = LoggerFactory.getLogger(Workers.class);
  private final ThreadPoolExecutor pool;

  public Workers(int threads, int queueCapacity) {
    AtomicInteger n = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            r -> {
              Thread t = new Thread(r, "corral-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * Runs {@code job} on a worker.
   *
   * @throws CorralException unavailable when the queue is full
   */
  @Override
  public void execute(Runnable job) {
    try {
      pool.execute(() -> runLogged(job));
    } catch (RejectedExecutionException e) {
      throw CorralException.unavailable(
          "worker queue full (%d queued); retry later", pool.getQueue().size());
    }
  }

  private static void runLogged(Runnable job) {
    try {
      job.run();
    } catch (RuntimeException e) {
      log.error("worker job failed", e);
    }
  }

  public int queueDepth() {
    return pool.getQueue().size();
  }

  /** Stops taking jobs and waits up to {@code grace} for running ones. */
  public void shutdown(Duration grace) throws InterruptedException {
    pool.shutdown();
    if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("workers still busy after {} ms; abandoning them", grace.toMillis());
      pool.shutdownNow();
    }
  }
}
