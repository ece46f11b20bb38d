package dev.corral.supervisor.task;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import java.util.Objects;

/**
 * A validated request to run an exec: bad input fails here, on the API thread.
 *
 * @param execId the exec's id, unique within its container; "init" names the container's init
 * @param process what to run
 * @param stdin keep the exec's stdin open for attach
 */
public record ExecRequest(String execId, ExecProcessRequest process, boolean stdin) {
  public ExecRequest {
    Ids.require("id", execId);
    if (execId.equals(Ids.INIT)) {
      throw CorralException.invalidArgument("id: \"init\" names the container's init");
    }
    Objects.requireNonNull(process, "process");
  }
}
