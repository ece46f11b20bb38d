package dev.corral.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a container's memory cgroup is: runc with the absolute cgroupsPath {@code <parent>/<id>}
 * puts it at {@code /sys/fs/cgroup/memory<parent>/<id>} on cgroup v1 (hybrid, as here) and at
 * {@code /sys/fs/cgroup<parent>/<id>} on a unified v2 host.
 *
 * <p>Stateless; safe from any thread.
 */
final class MemoryCgroup {
  static final Path ROOT = Path.of("/sys/fs/cgroup");

  private MemoryCgroup() {}

  static Path of(String parent, String id) {
    Path v1 = ROOT.resolve("memory" + parent);
    return (Files.isDirectory(ROOT.resolve("memory")) ? v1 : ROOT.resolve(parent.substring(1)))
        .resolve(id);
  }
}
