package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Open a process's log. The loop checks the process exists and answers with a reader of its log
 * file; reading happens on the caller's thread, never on the loop.
 *
 * <p>Handled by {@link dev.corral.supervisor.io.LogsHandler}.
 *
 * @param processId "init" or an exec id
 * @param follow the reader will follow the log until the process stops: {@link LogSource#ended}
 *     tells when
 */
public record LogsTask(
    ContainerRef id, String processId, LogFilter filter, boolean follow, Reply<LogSource> reply)
    implements Command {
  public LogsTask {
    Objects.requireNonNull(id, "id");
    Ids.require("pid", processId);
    Objects.requireNonNull(filter, "filter");
  }
}
