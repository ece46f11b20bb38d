package dev.corral.supervisor.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads whether a container's cgroup is frozen, so a daemon that restarts over a paused container
 * knows it is paused (runc keeps no other record of it than the freezer itself). cgroup v1 has
 * {@code freezer/PARENT/ID/freezer.state} = FROZEN; cgroup v2 has {@code PARENT/ID/cgroup.freeze} =
 * 1.
 *
 * <p>Stateless; used by {@link Recovery} off the loop.
 */
public final class CgroupFreezer {
  private CgroupFreezer() {}

  /**
   * True when cgroup {@code path} (absolute, as runc's cgroupsPath) is frozen; false when
   * unreadable.
   */
  public static boolean frozen(Path cgroupRoot, String path) {
    Path v1 = cgroupRoot.resolve("freezer" + path).resolve("freezer.state");
    if (Files.exists(v1)) {
      return "FROZEN".equals(read(v1));
    }
    Path v2 = cgroupRoot.resolve(path.substring(1)).resolve("cgroup.freeze");
    return "1".equals(read(v2));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
