package dev.corral.supervisor.thread;

import dev.corral.core.CorralException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The answer a {@code Command} owes its caller: completed once, on the loop thread (a worker
 * publishes its result and the loop completes the reply), and awaited (with a timeout) or observed
 * by the caller. Callbacks always run on the executor the caller names, so no client code ever runs
 * on the loop thread. A caller that gives up waiting never completes the reply: it just stops
 * listening, and a late answer is the caller's to discard.
 *
 * <p>complete and fail: loop thread only (asserted); the first wins and later ones are ignored.
 * isDone, await and whenDone: any thread.
 */
public final class Reply<T> {
  private final CompletableFuture<T> future = new CompletableFuture<>();

  public void complete(T value) {
    assert LoopGuard.onALoopThread() : "Reply.complete off the loop thread";
    future.complete(value);
  }

  public void fail(CorralException error) {
    assert LoopGuard.onALoopThread() : "Reply.fail off the loop thread";
    future.completeExceptionally(error);
  }

  public boolean isDone() {
    return future.isDone();
  }

  /**
   * Blocks until the reply is done.
   *
   * @throws CorralException the failure, or deadline_exceeded after {@code timeout}
   */
  public T await(Duration timeout) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw CorralException.deadlineExceeded("no answer within %d ms", timeout.toMillis());
    } catch (ExecutionException e) {
      throw CorralException.wrap(e.getCause(), "task failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CorralException.unavailable("interrupted while waiting for an answer");
    }
  }

  /** Runs {@code callback(value, error)} on {@code executor} once done; one of them is null. */
  public void whenDone(Executor executor, BiConsumer<T, CorralException> callback) {
    future.whenCompleteAsync(
        (v, t) ->
            callback.accept(v, t == null ? null : CorralException.wrap(unwrap(t), "task failed")),
        executor);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
        ? t.getCause()
        : t;
  }
}
