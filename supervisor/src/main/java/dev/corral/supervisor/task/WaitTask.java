package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.ExitView;
import dev.corral.supervisor.Reply;

/** Answered when the container's init has exited (at once if it already has). */
public record WaitTask(String id, Reply<ExitView> reply) implements Command {
  public WaitTask {
    Ids.require("id", id);
  }
}
