package dev.corral.supervisor.task;

import dev.corral.runtime.Resources;

/**
 * The {@code resources} of a create request that names a {@code rootfs} ({@code linux.resources} of
 * the generated spec); a null limit is not set. Validated by building the runtime's {@link
 * Resources} in the compact constructor.
 *
 * <p>Immutable.
 *
 * @param memoryLimit bytes ({@code resources.memory.limit})
 * @param pidsLimit maximum number of tasks ({@code resources.pids.limit})
 * @param cpuShares relative weight ({@code resources.cpu.shares})
 * @param cpuQuota microseconds per period ({@code resources.cpu.quota})
 * @param cpuPeriod microseconds ({@code resources.cpu.period})
 */
public record ResourceLimits(
    Long memoryLimit, Long pidsLimit, Long cpuShares, Long cpuQuota, Long cpuPeriod) {
  /** No limits at all. */
  public static final ResourceLimits NONE = new ResourceLimits(null, null, null, null, null);

  public ResourceLimits {
    new Resources(memoryLimit, pidsLimit, cpuShares, cpuQuota, cpuPeriod);
  }

  /** As the runtime takes it. */
  public Resources spec() {
    return new Resources(memoryLimit, pidsLimit, cpuShares, cpuQuota, cpuPeriod);
  }
}
