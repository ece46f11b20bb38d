package dev.corral.supervisor.model;

import dev.corral.metrics.CgroupStats;
import java.nio.file.Path;

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
