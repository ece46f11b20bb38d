package dev.corral.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One container's resource usage, read from its cgroup v1 files, where the container lives at
 * {@code ROOT/<controller><parent>/<id>} in every hierarchy (runc with an absolute cgroupsPath).
 * Immutable; {@link #read} blocks on cgroupfs, so it runs on a worker, never on the loop.
 *
 * @param cpuSeconds cpuacct.usage, in seconds
 * @param memoryBytes memory.usage_in_bytes
 * @param memoryLimitBytes memory.limit_in_bytes (a huge number when unlimited)
 * @param memoryFailcnt memory.failcnt: times the limit was hit
 * @param oomKills {@code oom_kill} of memory.oom_control
 * @param pids pids.current
 * @param blkioReadBytes "Read" total of blkio.throttle.io_service_bytes
 * @param blkioWriteBytes "Write" total of blkio.throttle.io_service_bytes
 */
public record CgroupSample(
    String id,
    double cpuSeconds,
    long memoryBytes,
    long memoryLimitBytes,
    long memoryFailcnt,
    long oomKills,
    long pids,
    long blkioReadBytes,
    long blkioWriteBytes) {

  /**
   * Reads every file of {@code id}; one missing or malformed file fails the whole sample, so a
   * container half torn down is skipped rather than shown with zeros.
   */
  public static CgroupSample read(Path root, String parent, String id) throws IOException {
    Path cpu = dir(root, "cpuacct", parent, id);
    Path mem = dir(root, "memory", parent, id);
    Path blkio = dir(root, "blkio", parent, id);
    String ioBytes = Files.readString(blkio.resolve("blkio.throttle.io_service_bytes"));
    return new CgroupSample(
        id,
        number(cpu.resolve("cpuacct.usage")) / 1e9,
        number(mem.resolve("memory.usage_in_bytes")),
        number(mem.resolve("memory.limit_in_bytes")),
        number(mem.resolve("memory.failcnt")),
        field(Files.readString(mem.resolve("memory.oom_control")), "oom_kill"),
        number(dir(root, "pids", parent, id).resolve("pids.current")),
        sumOp(ioBytes, "Read"),
        sumOp(ioBytes, "Write"));
  }

  static Path dir(Path root, String controller, String parent, String id) {
    return root.resolve(controller + parent).resolve(id);
  }

  private static long number(Path file) throws IOException {
    String text = Files.readString(file).trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not a number: " + text, e);
    }
  }

  /** The value of {@code key} in a flat-keyed file ("key value" lines); 0 when absent. */
  public static long field(String text, String key) throws IOException {
    for (String line : text.split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2 && kv[0].equals(key)) {
        try {
          return Long.parseLong(kv[1]);
        } catch (NumberFormatException e) {
          throw new IOException(key + ": not a number: " + kv[1], e);
        }
      }
    }
    return 0;
  }

  /** Sums "MAJ:MIN Op N" lines of one op over all devices (the "Total" line is not per op). */
  private static long sumOp(String text, String op) {
    long sum = 0;
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3 && f[1].equals(op)) {
        sum += Long.parseLong(f[2]);
      }
    }
    return sum;
  }
}
