package dev.corral.runtime;

import dev.corral.core.CorralException;
import java.util.ArrayList;
import java.util.List;

/**
 * A live change of a container's cgroup limits, as {@code runc update} flags. A null field is left
 * as it is. The bounds are the kernel's (cpu.shares 2..262144, cfs period 1 ms..1 s, quota at least
 * 1 ms); -1 means unlimited where runc allows it (quota, pids). Invalid values fail in the compact
 * constructor with a message naming the field by its OCI {@code LinuxResources} path ({@code
 * cpu.shares}), so they never reach a worker.
 *
 * <p>Immutable.
 *
 * @param memory memory limit in bytes, at least 1 MiB
 * @param cpuShares relative cpu weight
 * @param cpuQuota microseconds of cpu per period, or -1
 * @param cpuPeriod length of a cfs period in microseconds
 * @param pids maximum number of tasks, or -1
 */
public record ResourceUpdate(
    Long memory, Long cpuShares, Long cpuQuota, Long cpuPeriod, Long pids) {
  static final long MIN_MEMORY = 1L << 20;

  public ResourceUpdate {
    if (memory == null && cpuShares == null && cpuQuota == null && cpuPeriod == null) {
      if (pids == null) {
        throw CorralException.invalidArgument("body: names no resource to update");
      }
    }
    atLeast("memory.limit", memory, MIN_MEMORY, false);
    between("cpu.shares", cpuShares, 2, 262_144);
    atLeast("cpu.quota", cpuQuota, 1_000, true);
    between("cpu.period", cpuPeriod, 1_000, 1_000_000);
    atLeast("pids.limit", pids, 1, true);
  }

  private static void atLeast(String field, Long v, long min, boolean unlimited) {
    if (v == null || v >= min || (unlimited && v == -1)) {
      return;
    }
    throw CorralException.invalidArgument(
        "%s: %d is below the minimum %d%s", field, v, min, unlimited ? " (or -1: unlimited)" : "");
  }

  private static void between(String field, Long v, long min, long max) {
    if (v != null && (v < min || v > max)) {
      throw CorralException.invalidArgument("%s: %d is not in %d..%d", field, v, min, max);
    }
  }

  /** The {@code runc update} flags for the fields that are set, then the id. */
  public List<String> args(String id) {
    List<String> a = new ArrayList<>();
    flag(a, "--memory", memory);
    flag(a, "--cpu-share", cpuShares);
    flag(a, "--cpu-quota", cpuQuota);
    flag(a, "--cpu-period", cpuPeriod);
    flag(a, "--pids-limit", pids);
    a.add(id);
    return a;
  }

  private static void flag(List<String> a, String name, Long v) {
    if (v != null) {
      a.add(name);
      a.add(Long.toString(v));
    }
  }
}
