package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Connect to a running process's stdio. The loop checks the process runs; a worker connects and the
 * loop answers with the connected channel. The caller owns the channel and closes it.
 *
 * <p>Handled by {@link dev.corral.supervisor.io.AttachHandler}.
 *
 * @param processId "init" or an exec id
 */
public record AttachTask(ContainerRef id, String processId, Reply<AttachChannel> reply)
    implements Command {
  public AttachTask {
    Objects.requireNonNull(id, "id");
    Ids.require("pid", processId);
  }
}
