package dev.corral.supervisor.task;

import dev.corral.core.Namespaces;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The status of pod {@code uid}: at once ({@code newerThan} null), or once it is newer than {@code
 * newerThan} (unix nanoseconds), answered empty when {@code timeout} passes first (304). Waiting
 * holds no thread: the reply is completed by the loop when the status changes or by the timer.
 *
 * <p>Handled by {@link dev.corral.supervisor.pod.PodHandler}.
 */
public record PodStatusTask(
    String namespace,
    String uid,
    Long newerThan,
    Duration timeout,
    Reply<Optional<PodStatusView>> reply)
    implements Command {
  public PodStatusTask {
    Namespaces.require("namespace", namespace);
    PodPart.requireUid("uid", uid);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(reply, "reply");
  }
}
