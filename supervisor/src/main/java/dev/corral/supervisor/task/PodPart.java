package dev.corral.supervisor.task;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a container is to a pod, carried by its {@link CreateRequest}. Immutable.
 *
 * <p>A client asks to {@link Join} a pod; the loop checks the pod is ready and the name free and
 * turns that into a {@link Member} holding the sandbox's process, whose namespaces the worker has
 * the container join. A pod's infra container is a {@link Sandbox}.
 */
public sealed interface PodPart {
  /** The pod's uid. */
  String uid();

  /** The longest pod uid: the sandbox's id is {@code pod-UID}, and ids have 76 characters. */
  int MAX_UID = 72;

  /** Checks a pod uid given in request field {@code field}. */
  static String requireUid(String field, String uid) {
    Ids.require(field, uid);
    if (uid.length() > MAX_UID) {
      throw CorralException.invalidArgument(
          "%s: \"%s\" is longer than %d characters", field, uid, MAX_UID);
    }
    return uid;
  }

  /** A create that asks to run in pod {@code uid} under {@code name}, unique in the pod. */
  record Join(String uid, String name) implements PodPart {
    public Join {
      requireUid("pod", uid);
      Ids.require("name", name);
    }
  }

  /**
   * A container joining the running sandbox: its process {@code sandboxPid}, started at {@code
   * sandboxStartTime} (checked again right before runc create, so a reused pid cannot be joined).
   */
  record Member(String uid, String name, int sandboxPid, long sandboxStartTime) implements PodPart {
    public Member {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * The pod's infra container: {@code catatonit -P} from {@code rootfs}, named {@code hostname}.
   */
  record Sandbox(String uid, String hostname, Path rootfs) implements PodPart {
    public Sandbox {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(rootfs, "rootfs");
    }
  }
}
