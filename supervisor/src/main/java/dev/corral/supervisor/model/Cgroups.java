package dev.corral.supervisor.model;

import dev.corral.metrics.CgroupStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The supervisor's one home for cgroup paths: the mount point, and where a container's memory
 * cgroup is. runc with the absolute cgroupsPath {@code P} ({@code <parent>/<ns>/<id>}) puts it at
 * {@code /sys/fs/cgroup/memory<P>} on cgroup v1 (hybrid, as here) and at {@code /sys/fs/cgroup<P>}
 * on a unified v2 host. The layout is told the way {@link CgroupStats#isUnified} tells it for every
 * reader of cgroup files.
 *
 * <p>Stateless; safe from any thread.
 */
public final class Cgroups {
  /** Where the cgroup hierarchies are mounted. */
  public static final Path ROOT = Path.of("/sys/fs/cgroup");

  /** The prefix of a pod's cgroup ({@code PARENT/NS/pod-UID}), and of its sandbox's id. */
  public static final String POD_PREFIX = "pod-";

  private Cgroups() {}

  /** The cgroup of namespace {@code ns}, parent of its containers': {@code PARENT/NS}. */
  public static String namespace(String cgroupParent, String ns) {
    return cgroupParent + "/" + ns;
  }

  /**
   * The cgroup of pod {@code uid}, parent of its sandbox's and containers': {@code
   * PARENT/NS/pod-UID}.
   */
  public static String pod(String cgroupParent, String ns, String uid) {
    return namespace(cgroupParent, ns) + "/" + POD_PREFIX + uid;
  }

  /**
   * rmdir of the cgroup {@code path} (absolute, as runc's cgroupsPath) in every hierarchy (and in
   * the unified one at the mount point); absent is fine. Returns false, leaving the rest, when one
   * still holds a process or a child (EBUSY, ENOTEMPTY).
   */
  public static boolean removeEmpty(String path) {
    List<Path> hierarchies = new ArrayList<>(List.of(ROOT));
    try (Stream<Path> s = Files.list(ROOT)) {
      s.forEach(hierarchies::add);
    } catch (IOException e) {
      return true; // no cgroup file system: nothing of the container's can be there
    }
    for (Path h : hierarchies) {
      try {
        Files.deleteIfExists(h.resolve(path.substring(1)));
      } catch (IOException busy) {
        return false;
      }
    }
    return true;
  }

  /** The memory cgroup directory of cgroup {@code path} (absolute, as runc's cgroupsPath). */
  public static Path memory(String path) {
    return memory(ROOT, path);
  }

  public static Path memory(Path root, String path) {
    return CgroupStats.isUnified(root)
        ? root.resolve(path.substring(1))
        : root.resolve("memory" + path);
  }
}
