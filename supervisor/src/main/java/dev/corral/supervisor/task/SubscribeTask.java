package dev.corral.supervisor.task;

import dev.corral.supervisor.event.Subscriber;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Register an event subscriber. Done on the loop so that what it has been sent and what it will be
 * sent meet with no gap and no duplicate.
 *
 * <p>Handled by {@link dev.corral.supervisor.loop.EventLoop}.
 */
public record SubscribeTask(Subscriber subscriber, Reply<Void> reply) implements Command {
  public SubscribeTask {
    Objects.requireNonNull(subscriber, "subscriber");
  }
}
