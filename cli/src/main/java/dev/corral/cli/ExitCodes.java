package dev.corral.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * corral's exit codes, docker's where docker has one. A usage error is {@link #USAGE} (125, as
 * docker uses for a bad flag on any command). {@code run}, {@code create} and {@code exec} exit
 * with the process's own code, or 125 when corral or corrald failed, 126 when the command exists
 * but cannot be invoked, and 127 when it does not exist. Other commands exit 1 when corrald refuses
 * or cannot be reached.
 *
 * <p>Stateless.
 */
final class ExitCodes {
  static final int REFUSED = 1;
  static final int USAGE = 125;
  static final int FAILED = 125;
  static final int CANNOT_INVOKE = 126;
  static final int NOT_FOUND = 127;

  /**
   * runc's report of a process it could not start, as corrald relays it for a create and an exec:
   * {@code ...: exec: "ARGV0": REASON}. Anchored on runc's own form, so a missing rootfs (also "no
   * such file or directory") stays a failure of corral's.
   */
  private static final Pattern EXEC_FAILED =
      Pattern.compile("exec: \"(?:[^\"\\\\]|\\\\.)*\": (.*)$", Pattern.DOTALL);

  private ExitCodes() {}

  /** The exit code for a failed {@code run}, {@code create} or {@code exec}, from its message. */
  static int ofStartFailure(String message) {
    Matcher m = EXEC_FAILED.matcher(message == null ? "" : message);
    if (!m.find()) {
      return FAILED;
    }
    String reason = m.group(1);
    if (reason.contains("executable file not found")
        || reason.contains("no such file or directory")) {
      return NOT_FOUND;
    }
    if (reason.contains("permission denied") || reason.contains("is a directory")) {
      return CANNOT_INVOKE;
    }
    return FAILED;
  }
}
