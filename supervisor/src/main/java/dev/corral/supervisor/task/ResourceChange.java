package dev.corral.supervisor.task;

import dev.corral.runtime.ResourceUpdate;

/**
 * The body of {@code PATCH /v1/containers/{id}/resources}: a live change of a container's cgroup
 * limits; a null field is left as it is. Validated by building the runtime's {@link ResourceUpdate}
 * (which holds the kernel's bounds) in the compact constructor.
 *
 * <p>Immutable.
 *
 * @param memory bytes
 * @param cpuShares relative cpu weight
 * @param cpuQuota microseconds of cpu per period, or -1 for unlimited
 * @param cpuPeriod length of a cfs period in microseconds
 * @param pids maximum number of tasks, or -1 for unlimited
 */
public record ResourceChange(
    Long memory, Long cpuShares, Long cpuQuota, Long cpuPeriod, Long pids) {
  public ResourceChange {
    new ResourceUpdate(memory, cpuShares, cpuQuota, cpuPeriod, pids);
  }

  /** As the runtime takes it. */
  public ResourceUpdate spec() {
    return new ResourceUpdate(memory, cpuShares, cpuQuota, cpuPeriod, pids);
  }
}
