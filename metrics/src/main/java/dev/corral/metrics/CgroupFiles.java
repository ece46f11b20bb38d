package dev.corral.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the small text files of a cgroup: a single number, "max", flat "key value" lists and the
 * per-device lines of the block io files. A missing file is null, not an error: controllers and
 * kernels differ in what they offer.
 *
 * <p>Stateless; usable from any thread. Blocking file reads: never call it on the loop.
 */
final class CgroupFiles {
  /** cgroup v1 writes "unlimited" as the largest page-aligned long; anything above is unlimited. */
  private static final long V1_UNLIMITED = 1L << 62;

  private CgroupFiles() {}

  static String read(Path file) throws IOException {
    try {
      return Files.readString(file).strip();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  static Long number(Path file) throws IOException {
    String s = read(file);
    return s == null || s.isEmpty() ? null : Long.parseLong(s);
  }

  /** A limit: "max" (v2) or a v1 "unlimited" value is null. */
  static Long limit(Path file) throws IOException {
    String s = read(file);
    if (s == null || s.equals("max")) {
      return null;
    }
    long v = Long.parseLong(s);
    return v >= V1_UNLIMITED ? null : v;
  }

  /** A flat keyed file ({@code cpu.stat}, {@code memory.events}, {@code cpuacct.stat}). */
  static Map<String, Long> keyed(Path file) throws IOException {
    Map<String, Long> out = new HashMap<>();
    String s = read(file);
    if (s == null) {
      return out;
    }
    for (String line : s.split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2) {
        out.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return out;
  }
}
