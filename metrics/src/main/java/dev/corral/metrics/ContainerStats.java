package dev.corral.metrics;

/**
 * One reading of a container's cgroup counters. A limit of null means unlimited; any value the
 * kernel does not offer (memory.peak before Linux 5.19, say) is null. Immutable.
 */
public record ContainerStats(String read, Cpu cpu, Memory memory, Pids pids, Blkio blkio) {
  /**
   * Cumulative cpu time, nanoseconds, and CFS bandwidth control: enforcement periods elapsed, those
   * in which the cgroup was throttled, and the total time it was throttled (null without a quota
   * controller).
   */
  public record Cpu(
      Long usageNanos,
      Long userNanos,
      Long systemNanos,
      Long periods,
      Long throttledPeriods,
      Long throttledNanos) {
    public Cpu(Long usageNanos, Long userNanos, Long systemNanos) {
      this(usageNanos, userNanos, systemNanos, null, null, null);
    }
  }

  /**
   * @param usage bytes charged now
   * @param limit the hard limit in bytes, null when unlimited
   * @param failcnt times the limit was hit (cgroup v2: the {@code max} count of memory.events)
   * @param maxUsage the highest usage seen
   * @param oomKills processes the kernel's OOM killer killed in the cgroup: {@code oom_kill} of
   *     memory.oom_control (v1) or memory.events (v2); null on kernels without it (before 4.13)
   * @param workingSet usage less inactive file pages, what the kernel cannot reclaim easily: the
   *     figure the OOM killer and kubelet's eviction watch (cAdvisor's working set)
   * @param rss anonymous memory (v1 {@code total_rss}, v2 {@code anon})
   * @param cache page cache (v1 {@code total_cache}, v2 {@code file})
   */
  public record Memory(
      Long usage,
      Long limit,
      Long failcnt,
      Long maxUsage,
      Long oomKills,
      Long workingSet,
      Long rss,
      Long cache) {
    public Memory(Long usage, Long limit, Long failcnt, Long maxUsage, Long oomKills) {
      this(usage, limit, failcnt, maxUsage, oomKills, null, null, null);
    }

    /** Usage less inactive file pages, never below zero; null when either is unknown. */
    static Long workingSet(Long usage, Long inactiveFile) {
      if (usage == null || inactiveFile == null) {
        return null;
      }
      return Math.max(0, usage - inactiveFile);
    }
  }

  public record Pids(Long current, Long limit) {}

  /** Bytes read from and written to block devices, summed over devices. */
  public record Blkio(Long readBytes, Long writeBytes) {}
}
