package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.task.Command;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a command and answers its exchange when the reply arrives, without holding a Jetty thread
 * meanwhile. A deadline is this waiter giving up: the client gets deadline_exceeded (504) and the
 * reply is left alone, for only the loop completes replies. Whichever comes first answers the
 * client; an answer that arrives after the deadline is dropped, and a resource in it (an attach
 * channel) is closed.
 *
 * <p>Thread-safe.
 */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  /** Long enough for a create on a loaded two-core machine. */
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

  /** Pool threads that answer long polls at once; see {@link #submitQuick}. */
  static final int QUICK_THREADS = 2;

  private final Supervisor supervisor;
  private final Executor executor;
  private final Executor quick;
  private final Scheduler scheduler;

  Replies(Supervisor supervisor, Executor executor, Scheduler scheduler) {
    this.supervisor = supervisor;
    this.executor = executor;
    this.quick = new BoundedExecutor(executor, QUICK_THREADS);
    this.scheduler = scheduler;
  }

  <T> void submit(Exchange x, Command c, Reply<T> reply, Duration deadline, Consumer<T> ok) {
    submit(x, c, reply, deadline, ok, () -> {}, executor);
  }

  /**
   * As {@link #submit(Exchange, Command, Reply, Duration, Consumer)} for replies the loop completes
   * in bursts (the long polls one pod change answers, or one expiry turn): {@code ok} must only
   * write a small body, without blocking. They run on at most {@link #QUICK_THREADS} pool threads
   * at a time, so a thousand answers at once do not start a pool thread each.
   */
  <T> void submitQuick(Exchange x, Command c, Reply<T> reply, Duration deadline, Consumer<T> ok) {
    submit(x, c, reply, deadline, ok, () -> {}, quick);
  }

  /**
   * As {@link #submit(Exchange, Command, Reply, Duration, Consumer)}; {@code failed} runs once when
   * the client was answered with an error instead (the command failed, the deadline passed, or
   * {@code ok} threw), to release what the route holds for {@code ok}.
   */
  <T> void submit(
      Exchange x, Command c, Reply<T> reply, Duration deadline, Consumer<T> ok, Runnable failed) {
    submit(x, c, reply, deadline, ok, failed, executor);
  }

  private <T> void submit(
      Exchange x,
      Command c,
      Reply<T> reply,
      Duration deadline,
      Consumer<T> ok,
      Runnable failed,
      Executor answerOn) {
    long submitted = System.nanoTime();
    try {
      supervisor.submit(c);
    } catch (RuntimeException e) {
      failed.run();
      throw e;
    }
    AtomicBoolean answered = new AtomicBoolean(); // the first of the deadline and the reply
    // Cancelled when the reply comes, so a busy daemon does not keep a minute of timers alive.
    Scheduler.Task timer = deadline == null ? null : giveUpAfter(x, deadline, answered, failed);
    reply.whenDone(
        answerOn,
        (value, error) -> {
          if (timer != null) {
            timer.cancel();
          }
          if (!answered.compareAndSet(false, true)) {
            discard(c, value);
            return;
          }
          supervisor.metrics().reply.update(System.nanoTime() - submitted, TimeUnit.NANOSECONDS);
          answer(x, value, error, ok, failed);
        });
  }

  /** Runs {@code then} with the reply's outcome on a request thread, with no deadline. */
  <T> void whenDone(Reply<T> reply, java.util.function.BiConsumer<T, CorralException> then) {
    reply.whenDone(executor, then);
  }

  /** Runs {@code task} on Jetty's scheduler after {@code delay}. */
  void schedule(Runnable task, Duration delay) {
    scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Scheduler.Task giveUpAfter(
      Exchange x, Duration deadline, AtomicBoolean answered, Runnable failed) {
    return scheduler.schedule(
        () -> {
          if (answered.compareAndSet(false, true)) {
            failed.run();
            x.error(
                CorralException.deadlineExceeded("no answer within %d s", deadline.toSeconds()));
          }
        },
        deadline.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static <T> void answer(
      Exchange x, T value, CorralException error, Consumer<T> ok, Runnable failed) {
    if (error != null) {
      failed.run();
      x.error(error);
      return;
    }
    try {
      ok.accept(value);
    } catch (RuntimeException e) {
      failed.run();
      x.error(CorralException.wrap(e, "answer"));
    }
  }

  /** A late answer: nobody waits for it any more, so what it holds is released here. */
  private static void discard(Command c, Object value) {
    log.debug("{}: answered after its deadline; dropped", c.getClass().getSimpleName());
    if (value instanceof AutoCloseable resource) {
      try {
        resource.close();
      } catch (Exception e) {
        log.debug("closing a late answer failed: {}", e.toString());
      }
    }
  }
}
