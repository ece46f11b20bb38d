package dev.corral.runtime;

import dev.corral.core.CorralException;
import java.util.List;

/**
 * The process of a container whose spec the daemon generates ({@link Specs}): what to run, with
 * which environment, where and as whom. Bad input fails in the compact constructor with a message
 * naming the field, so it fails on the API thread.
 *
 * <p>Immutable.
 *
 * @param args the command and its arguments; at least one
 * @param env {@code KEY=VALUE} entries added to the default environment (a key given here wins)
 * @param cwd absolute working directory inside the container; {@code /} when null
 * @param terminal allocate a pty for the process
 * @param uid user id inside the container
 * @param gid group id inside the container
 */
public record ProcessSpec(
    List<String> args, List<String> env, String cwd, boolean terminal, int uid, int gid) {
  public ProcessSpec {
    if (args == null || args.isEmpty()) {
      throw CorralException.invalidArgument("process.args: must not be empty");
    }
    args = List.copyOf(args);
    if (args.get(0).isEmpty()) {
      throw CorralException.invalidArgument("process.args: the command must not be empty");
    }
    env = List.copyOf(env == null ? List.of() : env);
    env.forEach(ProcessSpec::checkEnv);
    cwd = cwd == null ? "/" : cwd;
    if (!cwd.startsWith("/")) {
      throw CorralException.invalidArgument("process.cwd: %s is not an absolute path", cwd);
    }
    if (uid < 0 || gid < 0) {
      throw CorralException.invalidArgument("process.user: uid and gid must not be negative");
    }
  }

  /** A root process running {@code args} in {@code /} with the default environment. */
  public static ProcessSpec of(List<String> args) {
    return new ProcessSpec(args, List.of(), "/", false, 0, 0);
  }

  private static void checkEnv(String kv) {
    if (kv.indexOf('=') <= 0) {
      throw CorralException.invalidArgument("process.env: \"%s\" is not KEY=VALUE", kv);
    }
  }
}
