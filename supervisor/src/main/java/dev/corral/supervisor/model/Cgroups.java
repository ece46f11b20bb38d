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
 * cgroup is. runc with the absolute cgroupsPath {@code <parent>/<id>} puts it at {@code
 * /sys/fs/cgroup/memory<parent>/<id>} on cgroup v1 (hybrid, as here) and at {@code
 * /sys/fs/cgroup<parent>/<id>} on a unified v2 host. The layout is told the way {@link
 * CgroupStats#isUnified} tells it for every reader of cgroup files.
 *
 * <p>Stateless; safe from any thread.
 */
public final class Cgroups {
  /** Where the cgroup hierarchies are mounted. */
  public static final Path ROOT = Path.of("/sys/fs/cgroup");

  private Cgroups() {}

  /**
   * rmdir of the container's cgroup in every hierarchy (and in the unified one at the mount point);
   * absent is fine. Returns false, leaving the rest, when one still holds a process (EBUSY).
   */
  public static boolean removeEmpty(String parent, String id) {
    List<Path> hierarchies = new ArrayList<>(List.of(ROOT));
    try (Stream<Path> s = Files.list(ROOT)) {
      s.forEach(hierarchies::add);
    } catch (IOException e) {
      return true; // no cgroup file system: nothing of the container's can be there
    }
    for (Path h : hierarchies) {
      try {
        Files.deleteIfExists(h.resolve(parent.substring(1)).resolve(id));
      } catch (IOException busy) {
        return false;
      }
    }
    return true;
  }

  public static Path memory(String parent, String id) {
    return memory(ROOT, parent, id);
  }

  public static Path memory(Path root, String parent, String id) {
    Path dir =
        CgroupStats.isUnified(root)
            ? root.resolve(parent.substring(1))
            : root.resolve("memory" + parent);
    return dir.resolve(id);
  }
}
