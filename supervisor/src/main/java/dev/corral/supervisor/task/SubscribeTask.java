package dev.corral.supervisor.task;

import dev.corral.supervisor.Reply;
import dev.corral.supervisor.event.Subscriber;
import java.util.Objects;

/**
 * Register an event subscriber. Done on the loop so that what it has been sent and what it will be
 * sent meet with no gap and no duplicate.
 */
public record SubscribeTask(Subscriber subscriber, Reply<Void> reply) implements Command {
  public SubscribeTask {
    Objects.requireNonNull(subscriber, "subscriber");
  }
}
