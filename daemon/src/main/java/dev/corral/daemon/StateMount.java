package dev.corral.daemon;

import dev.corral.runtime.sys.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@code --state} on a tmpfs: runc's state, conmon's files and the bundle copies are written
 * and read on every container start, and on disk they cost several milliseconds of runc's CPU and
 * the daemon's fsyncs that a tmpfs does not. {@code /run} is a tmpfs on any systemd host; where the
 * dir is on something else, a tmpfs (0700, size-limited) is mounted on it. It is left mounted when
 * the daemon stops, so a restarted daemon finds its containers' runtime state again; a reboot
 * empties it, as it should.
 *
 * <p>Used once, by the start-up thread.
 */
final class StateMount {
  private static final Logger log = LoggerFactory.getLogger(StateMount.class);

  private StateMount() {}

  /**
   * Makes {@code dir} (0700) and mounts a tmpfs of at most {@code size} on it unless it is one. An
   * existing tmpfs keeps its mode: systemd's {@code RuntimeDirectory} or socket unit made it, and
   * the API socket may live in it; what is inside is 0700 anyway.
   */
  static void ensureTmpfs(Path dir, String size) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
    String type = Mounts.fsType(dir);
    if ("tmpfs".equals(type)) {
      return;
    }
    Mounts.mountTmpfs(dir.toRealPath(), size);
    log.info("state dir {} was on {}: mounted a tmpfs there (size {}, mode 0700)", dir, type, size);
  }
}
