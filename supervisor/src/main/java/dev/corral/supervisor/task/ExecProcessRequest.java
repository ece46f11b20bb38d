package dev.corral.supervisor.task;

import dev.corral.runtime.ExecProcessSpec;
import java.util.List;

/**
 * What a user asks an exec to run (the body of {@code POST .../processes} beside its id and stdin).
 * Fields left null are taken from the container's own process. Validated by building the runtime's
 * {@link ExecProcessSpec} in the compact constructor: every error names its field.
 *
 * <p>Immutable.
 *
 * @param consoleSize the pty's size from its first byte, or null; only with {@code terminal}
 */
public record ExecProcessRequest(
    List<String> args,
    List<String> env,
    String cwd,
    Integer uid,
    Integer gid,
    boolean terminal,
    ConsoleSize consoleSize) {
  /** A pty size in characters, each 1..65535. */
  public record ConsoleSize(int height, int width) {
    public ConsoleSize {
      new ExecProcessSpec.ConsoleSize(height, width);
    }
  }

  /** Without a console size. */
  public ExecProcessRequest(
      List<String> args, List<String> env, String cwd, Integer uid, Integer gid, boolean terminal) {
    this(args, env, cwd, uid, gid, terminal, null);
  }

  public ExecProcessRequest {
    ExecProcessSpec s = new ExecProcessSpec(args, env, cwd, uid, gid, terminal, size(consoleSize));
    args = s.args();
    env = s.env();
  }

  /** As the runtime takes it. */
  public ExecProcessSpec spec() {
    return new ExecProcessSpec(args, env, cwd, uid, gid, terminal, size(consoleSize));
  }

  private static ExecProcessSpec.ConsoleSize size(ConsoleSize c) {
    return c == null ? null : new ExecProcessSpec.ConsoleSize(c.height(), c.width());
  }
}
