package dev.corral.runtime;

import dev.corral.core.CorralException;

/**
 * Resource limits for a generated spec ({@code linux.resources}); a null limit is not set. Values
 * are checked here so a bad one names its field before runc ever sees it.
 *
 * <p>Immutable.
 *
 * @param memoryLimit bytes ({@code memory.limit}); at least 4 MiB, below which runc's init cannot
 *     even start
 * @param pidsLimit maximum number of tasks ({@code pids.limit})
 * @param cpuShares relative weight ({@code cpu.shares})
 * @param cpuQuota microseconds per period ({@code cpu.quota})
 * @param cpuPeriod microseconds ({@code cpu.period})
 */
public record Resources(
    Long memoryLimit, Long pidsLimit, Long cpuShares, Long cpuQuota, Long cpuPeriod) {
  /** No limits at all. */
  public static final Resources NONE = new Resources(null, null, null, null, null);

  static final long MIN_MEMORY = 4L << 20;

  public Resources {
    if (memoryLimit != null && memoryLimit < MIN_MEMORY) {
      throw CorralException.invalidArgument(
          "resources.memory.limit: %d is below the minimum of %d bytes", memoryLimit, MIN_MEMORY);
    }
    positive("resources.pids.limit", pidsLimit);
    positive("resources.cpu.shares", cpuShares);
    positive("resources.cpu.quota", cpuQuota);
    positive("resources.cpu.period", cpuPeriod);
  }

  private static void positive(String field, Long v) {
    if (v != null && v <= 0) {
      throw CorralException.invalidArgument("%s: must be positive, not %d", field, v);
    }
  }
}
