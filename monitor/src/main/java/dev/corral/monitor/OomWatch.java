package dev.corral.monitor;

import dev.corral.core.ContainerRef;
import java.nio.file.Path;

/**
 * One container's memory cgroup to watch for OOM kills.
 *
 * @param containerId the container; also the key of the watch
 * @param memoryCgroup the container's memory cgroup directory: {@code
 *     /sys/fs/cgroup/memory<parent>/<id>} on cgroup v1, {@code /sys/fs/cgroup<parent>/<id>} on v2
 * @param persistDir conmon's persist dir, where it leaves an {@code oom} file after an OOM kill
 */
public record OomWatch(ContainerRef containerId, Path memoryCgroup, Path persistDir) {
  /** True when the cgroup is a v1 memory cgroup (it has cgroup.event_control). */
  boolean v1() {
    return java.nio.file.Files.exists(memoryCgroup.resolve("cgroup.event_control"));
  }
}
