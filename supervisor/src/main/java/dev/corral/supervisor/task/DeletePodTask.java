package dev.corral.supervisor.task;

import dev.corral.core.Namespaces;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Remove pod {@code uid}: stop its containers (TERM, their grace, KILL; KILL at once with {@code
 * force}), delete them, then the sandbox and the pod's cgroup; answered when all is gone.
 *
 * <p>Handled by {@link dev.corral.supervisor.pod.PodHandler}.
 */
public record DeletePodTask(String namespace, String uid, boolean force, Reply<Void> reply)
    implements Command {
  public DeletePodTask {
    Namespaces.require("namespace", namespace);
    PodPart.requireUid("uid", uid);
    Objects.requireNonNull(reply, "reply");
  }
}
