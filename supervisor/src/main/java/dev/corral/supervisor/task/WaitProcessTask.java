package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.ExitView;
import dev.corral.supervisor.Reply;

/** Answered when the exec {@code execId} has exited (at once if it already has). */
public record WaitProcessTask(String id, String execId, Reply<ExitView> reply) implements Command {
  public WaitProcessTask {
    Ids.require("id", id);
    Ids.require("pid", execId);
  }
}
