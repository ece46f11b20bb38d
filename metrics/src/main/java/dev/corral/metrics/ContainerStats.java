package dev.corral.metrics;

/**
 * One reading of a container's cgroup counters. A limit of null means unlimited; any value the
 * kernel does not offer (memory.peak before Linux 5.19, say) is null. Immutable.
 */
public record ContainerStats(String read, Cpu cpu, Memory memory, Pids pids, Blkio blkio) {
  /** Cumulative cpu time, nanoseconds. */
  public record Cpu(Long usageNanos, Long userNanos, Long systemNanos) {}

  /**
   * @param usage bytes charged now
   * @param limit the hard limit in bytes, null when unlimited
   * @param failcnt times the limit was hit (cgroup v2: the {@code max} count of memory.events)
   * @param maxUsage the highest usage seen
   * @param oomKills processes the kernel's OOM killer killed in the cgroup: {@code oom_kill} of
   *     memory.oom_control (v1) or memory.events (v2); null on kernels without it (before 4.13)
   */
  public record Memory(Long usage, Long limit, Long failcnt, Long maxUsage, Long oomKills) {}

  public record Pids(Long current, Long limit) {}

  /** Bytes read from and written to block devices, summed over devices. */
  public record Blkio(Long readBytes, Long writeBytes) {}
}
