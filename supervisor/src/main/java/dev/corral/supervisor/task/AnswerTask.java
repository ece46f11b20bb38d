package dev.corral.supervisor.task;

import dev.corral.core.CorralException;
import dev.corral.supervisor.thread.Reply;

/**
 * A worker's answer to a command that changes no state (a signal, stats, a checkpoint list): the
 * worker publishes it, and the loop completes the caller's reply ({@link
 * dev.corral.supervisor.loop.EventLoop} calls {@link #deliver}), so every reply completes on the
 * loop thread.
 *
 * @param error null on success; then {@code value} is the answer
 */
public record AnswerTask<T>(Reply<T> reply, T value, CorralException error)
    implements Notification {
  public static <T> AnswerTask<T> ok(Reply<T> reply, T value) {
    return new AnswerTask<>(reply, value, null);
  }

  public static <T> AnswerTask<T> failed(Reply<T> reply, CorralException error) {
    return new AnswerTask<>(reply, null, error);
  }

  /** Completes the reply; loop thread only. */
  public void deliver() {
    if (error == null) {
      reply.complete(value);
    } else {
      reply.fail(error);
    }
  }
}
