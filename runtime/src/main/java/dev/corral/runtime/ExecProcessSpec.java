package dev.corral.runtime;

import dev.corral.core.CorralException;
import java.util.List;

/**
 * What a user asks an exec to run. Fields left null are taken from the container's own process (its
 * bundle's config.json), as {@code docker exec} does; {@code env} entries override the container's
 * by name. Validated in the compact constructor: every error names its field.
 *
 * <p>Immutable.
 *
 * @param args the command and its arguments; at least one
 * @param env {@code NAME=value} entries
 * @param cwd an absolute directory inside the container, or null for the container's
 * @param uid user id, or null for the container's user
 * @param gid group id, or null for the container's (or 0 when only uid is given)
 * @param terminal run on a pty
 * @param consoleSize the pty's size from its first byte (the client's terminal), or null for the
 *     kernel's default until a resize; only with {@code terminal}
 */
public record ExecProcessSpec(
    List<String> args,
    List<String> env,
    String cwd,
    Integer uid,
    Integer gid,
    boolean terminal,
    ConsoleSize consoleSize) {
  /** A pty size in characters, each 1..65535 (a {@code struct winsize} field). */
  public record ConsoleSize(int height, int width) {
    public ConsoleSize {
      dimension("consoleSize.height", height);
      dimension("consoleSize.width", width);
    }

    private static void dimension(String field, int v) {
      if (v < 1 || v > 65535) {
        throw CorralException.invalidArgument("%s: %d is not in 1..65535", field, v);
      }
    }
  }

  /** Without a console size. */
  public ExecProcessSpec(
      List<String> args, List<String> env, String cwd, Integer uid, Integer gid, boolean terminal) {
    this(args, env, cwd, uid, gid, terminal, null);
  }

  public ExecProcessSpec {
    if (args == null || args.isEmpty() || args.get(0).isEmpty()) {
      throw CorralException.invalidArgument("args: must name a command");
    }
    args = List.copyOf(args);
    env = List.copyOf(env == null ? List.of() : env);
    for (String e : env) {
      if (e.indexOf('=') <= 0) {
        throw CorralException.invalidArgument("env: \"%s\" is not NAME=value", e);
      }
    }
    if (cwd != null && !cwd.startsWith("/")) {
      throw CorralException.invalidArgument("cwd: %s is not an absolute path", cwd);
    }
    nonNegative("user.uid", uid);
    nonNegative("user.gid", gid);
    if (consoleSize != null && !terminal) {
      throw CorralException.invalidArgument("consoleSize: needs terminal: true");
    }
  }

  private static void nonNegative(String field, Integer v) {
    if (v != null && v < 0) {
      throw CorralException.invalidArgument("%s: %d is negative", field, v);
    }
  }
}
