package dev.corral.supervisor;

import dev.corral.metrics.CgroupStats;
import java.nio.file.Path;

/**
 * Where a container's memory cgroup is: runc with the absolute cgroupsPath {@code <parent>/<id>}
 * puts it at {@code /sys/fs/cgroup/memory<parent>/<id>} on cgroup v1 (hybrid, as here) and at
 * {@code /sys/fs/cgroup<parent>/<id>} on a unified v2 host. The layout is told the way {@link
 * CgroupStats#isUnified} tells it for every reader of cgroup files.
 *
 * <p>Stateless; safe from any thread.
 */
final class MemoryCgroup {
  static final Path ROOT = Path.of("/sys/fs/cgroup");

  private MemoryCgroup() {}

  static Path of(String parent, String id) {
    return of(ROOT, parent, id);
  }

  static Path of(Path root, String parent, String id) {
    Path dir =
        CgroupStats.isUnified(root)
            ? root.resolve(parent.substring(1))
            : root.resolve("memory" + parent);
    return dir.resolve(id);
  }
}
