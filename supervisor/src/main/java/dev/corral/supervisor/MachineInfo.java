package dev.corral.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about the host and the runtime, gathered once at daemon start for {@code /v1/info} and
 * {@code /v1/version}. Immutable.
 */
public record MachineInfo(
    int cpus,
    long memoryBytes,
    String kernel,
    String runtimePath,
    String runtimeVersion,
    String shimPath,
    String shimVersion,
    String root) {

  /** Reads cpus, MemTotal and the kernel release of this machine. */
  public static MachineInfo probe(
      String runtimePath, String runtimeVersion, String shimPath, String shimVersion, Path root) {
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        memTotal(),
        System.getProperty("os.version"),
        runtimePath,
        runtimeVersion,
        shimPath,
        shimVersion,
        root.toString());
  }

  private static long memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
