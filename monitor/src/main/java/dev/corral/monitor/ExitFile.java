package dev.corral.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the exit file conmon writes before it exits: the code as decimal text with no newline,
 * written atomically (temp file + rename), so it is either whole or absent. A signal death is
 * already folded in by conmon (128 + n: SIGKILL is 137). The file's mtime is the best record of
 * when the container exited, also for exits nobody watched (the daemon was down).
 *
 * <p>Stateless; safe from any thread. Reads one small file: cheap enough for the monitor thread.
 */
public final class ExitFile {
  private static final Logger LOG = LoggerFactory.getLogger(ExitFile.class);

  private ExitFile() {}

  /** The code in {@code file}, or empty when it is missing or does not hold a number. */
  public static OptionalInt code(Path file) {
    try {
      return OptionalInt.of(Integer.parseInt(Files.readString(file).trim()));
    } catch (NoSuchFileException e) {
      return OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      LOG.warn("exit file {}: unreadable: {}", file, e.toString());
      return OptionalInt.empty();
    }
  }

  /** The file's modification time (nanosecond precision), or now when there is no file. */
  public static Instant exitedAt(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.now();
    }
  }
}
