package dev.corral.metrics;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Sums bytes read and written over every device from a cgroup's block io file: v1's {@code
 * blkio.throttle.io_service_bytes} ("8:0 Read 4096" lines, plus per-device and overall "Total"
 * lines that are skipped) and v2's {@code io.stat} ("8:0 rbytes=4096 wbytes=0 rios=1 ..." lines).
 *
 * <p>Stateless; usable from any thread.
 */
final class BlockIo {
  private BlockIo() {}

  static ContainerStats.Blkio v1(Path dir) throws IOException {
    String text = CgroupFiles.read(dir.resolve("blkio.throttle.io_service_bytes"));
    if (text == null) {
      return new ContainerStats.Blkio(null, null);
    }
    long read = 0;
    long written = 0;
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3 && f[1].equals("Read")) {
        read += Long.parseLong(f[2]);
      } else if (f.length == 3 && f[1].equals("Write")) {
        written += Long.parseLong(f[2]);
      }
    }
    return new ContainerStats.Blkio(read, written);
  }

  static ContainerStats.Blkio v2(Path ioStat) throws IOException {
    String text = CgroupFiles.read(ioStat);
    if (text == null) {
      return new ContainerStats.Blkio(null, null);
    }
    long read = 0;
    long written = 0;
    for (String line : text.split("\n")) {
      for (String field : line.trim().split("\\s+")) {
        if (field.startsWith("rbytes=")) {
          read += Long.parseLong(field.substring("rbytes=".length()));
        } else if (field.startsWith("wbytes=")) {
          written += Long.parseLong(field.substring("wbytes=".length()));
        }
      }
    }
    return new ContainerStats.Blkio(read, written);
  }
}
