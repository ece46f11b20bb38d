package dev.corral.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds CRIU's own reason in its log. runc only says "criu failed: type DUMP errno 0" and names the
 * log; the reason is the first {@code Error (file:line): text} line that is not a helper's "exited,
 * status=N" (e.g. "vdso: Unexpected rt vDSO area bounds" with criu 3.17 on this kernel).
 *
 * <p>Stateless; usable from any thread.
 */
final class CriuLog {
  private CriuLog() {}

  /** The reason in {@code log}, or null when the log is missing or names none. */
  static String reason(Path log) {
    try {
      return reason(Files.readString(log));
    } catch (IOException e) {
      return null;
    }
  }

  static String reason(String text) {
    for (String line : text.split("\n")) {
      int at = line.indexOf("Error (");
      int close = at < 0 ? -1 : line.indexOf("): ", at);
      if (close > 0) {
        String msg = line.substring(close + 3).strip();
        if (!msg.startsWith("exited, status=")) {
          return msg;
        }
      }
    }
    return null;
  }
}
