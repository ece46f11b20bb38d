package dev.corral.metrics;

import dev.corral.core.CorralException;
import dev.corral.core.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Reads a container's counters straight from its cgroup files, for both layouts: cgroup v1 (one
 * hierarchy per controller, {@code ROOT/memory/PATH/memory.usage_in_bytes} ...) and v2 (one unified
 * tree, {@code ROOT/PATH/memory.current} ...). The layout is told by {@code
 * ROOT/cgroup.controllers}, which only a v2 root has. The one reader of a container's resource
 * counters: the stats API and the per-container metrics ({@link ContainerCgroups}) both use it.
 *
 * <p>Immutable and thread-safe; {@link #read} blocks on file I/O and belongs on a worker.
 */
public final class CgroupStats {
  /** USER_HZ: cpuacct.stat counts in these ticks on every Linux architecture we run on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private static final long NANOS_PER_MICRO = 1_000L;

  private final Path root;
  private final boolean unified;

  /**
   * @param root the cgroup mount, {@code /sys/fs/cgroup} on a real host
   */
  public CgroupStats(Path root) {
    this.root = root;
    this.unified = isUnified(root);
  }

  /**
   * Whether {@code root} is a unified (v2) cgroup mount: only a v2 root has {@code
   * cgroup.controllers}. The one test of the layout that every reader of cgroup files uses.
   */
  public static boolean isUnified(Path root) {
    return Files.exists(root.resolve("cgroup.controllers"));
  }

  public boolean unified() {
    return unified;
  }

  /**
   * Reads the cgroup at {@code path} (absolute, like runc's cgroupsPath: {@code /corral/c1}).
   *
   * @throws CorralException not_found when the cgroup does not exist (the container is gone)
   */
  public ContainerStats read(String id, String path, Instant now) {
    String rel = path.startsWith("/") ? path.substring(1) : path;
    try {
      ContainerStats s = unified ? v2(root.resolve(rel), now) : v1(rel, now);
      if (s.memory().usage() == null && s.pids().current() == null) {
        throw CorralException.notFound("container %s: cgroup %s: not found", id, path);
      }
      return s;
    } catch (IOException | RuntimeException e) {
      throw CorralException.wrap(e, "container " + id + ": cgroup " + path);
    }
  }

  /**
   * The OOM kills counted in the cgroup at {@code path} ({@code oom_kill} of memory.oom_control on
   * v1, of memory.events on v2): one small file, where {@link #read} takes a dozen. Null when it
   * cannot be read (the cgroup is gone, or a kernel before 4.13).
   */
  public Long oomKills(String path) {
    String rel = path.startsWith("/") ? path.substring(1) : path;
    Path file =
        unified
            ? root.resolve(rel).resolve("memory.events")
            : root.resolve("memory").resolve(rel).resolve("memory.oom_control");
    try {
      return CgroupFiles.keyed(file).get("oom_kill");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private ContainerStats v1(String rel, Instant now) throws IOException {
    Path cpu = root.resolve("cpuacct").resolve(rel);
    Path mem = root.resolve("memory").resolve(rel);
    Path pids = root.resolve("pids").resolve(rel);
    Map<String, Long> ticks = CgroupFiles.keyed(cpu.resolve("cpuacct.stat"));
    Map<String, Long> bandwidth =
        CgroupFiles.keyed(root.resolve("cpu").resolve(rel).resolve("cpu.stat"));
    Map<String, Long> memStat = CgroupFiles.keyed(mem.resolve("memory.stat"));
    Long usage = CgroupFiles.number(mem.resolve("memory.usage_in_bytes"));
    return new ContainerStats(
        Timestamps.format(now),
        new ContainerStats.Cpu(
            CgroupFiles.number(cpu.resolve("cpuacct.usage")),
            times(ticks.get("user"), NANOS_PER_TICK),
            times(ticks.get("system"), NANOS_PER_TICK),
            bandwidth.get("nr_periods"),
            bandwidth.get("nr_throttled"),
            bandwidth.get("throttled_time")),
        new ContainerStats.Memory(
            usage,
            CgroupFiles.limit(mem.resolve("memory.limit_in_bytes")),
            CgroupFiles.number(mem.resolve("memory.failcnt")),
            CgroupFiles.number(mem.resolve("memory.max_usage_in_bytes")),
            CgroupFiles.keyed(mem.resolve("memory.oom_control")).get("oom_kill"),
            ContainerStats.Memory.workingSet(usage, memStat.get("total_inactive_file")),
            memStat.get("total_rss"),
            memStat.get("total_cache")),
        pids(pids),
        BlockIo.v1(root.resolve("blkio").resolve(rel)));
  }

  private static ContainerStats v2(Path dir, Instant now) throws IOException {
    Map<String, Long> cpu = CgroupFiles.keyed(dir.resolve("cpu.stat"));
    Map<String, Long> events = CgroupFiles.keyed(dir.resolve("memory.events"));
    Map<String, Long> memStat = CgroupFiles.keyed(dir.resolve("memory.stat"));
    Long usage = CgroupFiles.number(dir.resolve("memory.current"));
    return new ContainerStats(
        Timestamps.format(now),
        new ContainerStats.Cpu(
            times(cpu.get("usage_usec"), NANOS_PER_MICRO),
            times(cpu.get("user_usec"), NANOS_PER_MICRO),
            times(cpu.get("system_usec"), NANOS_PER_MICRO),
            cpu.get("nr_periods"),
            cpu.get("nr_throttled"),
            times(cpu.get("throttled_usec"), NANOS_PER_MICRO)),
        new ContainerStats.Memory(
            usage,
            CgroupFiles.limit(dir.resolve("memory.max")),
            events.get("max"),
            CgroupFiles.number(dir.resolve("memory.peak")),
            events.get("oom_kill"),
            ContainerStats.Memory.workingSet(usage, memStat.get("inactive_file")),
            memStat.get("anon"),
            memStat.get("file")),
        pids(dir),
        BlockIo.v2(dir.resolve("io.stat")));
  }

  private static ContainerStats.Pids pids(Path dir) throws IOException {
    return new ContainerStats.Pids(
        CgroupFiles.number(dir.resolve("pids.current")),
        CgroupFiles.limit(dir.resolve("pids.max")));
  }

  private static Long times(Long v, long factor) {
    return v == null ? null : v * factor;
  }
}
