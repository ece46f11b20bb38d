package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.task.Command;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Submits a command and answers its exchange when the reply arrives, without holding a Jetty thread
 * meanwhile. A deadline fails the reply (deadline_exceeded) if the loop or a worker takes too long;
 * whichever comes first wins.
 *
 * <p>Thread-safe.
 */
final class Replies {
  /** Long enough for a create on a loaded two-core machine. */
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

  private final Supervisor supervisor;
  private final Executor executor;
  private final Scheduler scheduler;

  Replies(Supervisor supervisor, Executor executor, Scheduler scheduler) {
    this.supervisor = supervisor;
    this.executor = executor;
    this.scheduler = scheduler;
  }

  <T> void submit(Exchange x, Command c, Reply<T> reply, Duration deadline, Consumer<T> ok) {
    long submitted = System.nanoTime();
    supervisor.submit(c);
    // Cancelled when the reply comes, so a busy daemon does not keep a minute of timers alive.
    Scheduler.Task timer =
        deadline == null
            ? null
            : scheduler.schedule(
                () ->
                    reply.fail(
                        CorralException.deadlineExceeded(
                            "no answer within %d s", deadline.toSeconds())),
                deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    reply.whenDone(
        executor,
        (value, error) -> {
          if (timer != null) {
            timer.cancel();
          }
          supervisor.metrics().reply.update(System.nanoTime() - submitted, TimeUnit.NANOSECONDS);
          if (error != null) {
            x.error(error);
            return;
          }
          try {
            ok.accept(value);
          } catch (RuntimeException e) {
            x.error(CorralException.wrap(e, "answer"));
          }
        });
  }
}
