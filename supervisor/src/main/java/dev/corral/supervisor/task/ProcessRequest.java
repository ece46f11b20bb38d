package dev.corral.supervisor.task;

import dev.corral.runtime.ProcessSpec;
import java.util.List;

/**
 * The {@code process} of a create request that names a {@code rootfs}: what to run, with which
 * environment, where and as whom. Validated by building the runtime's {@link ProcessSpec} in the
 * compact constructor, so bad input fails on the API thread with a message naming its field, and
 * the rules live in one place.
 *
 * <p>Immutable.
 *
 * @param cwd absolute working directory inside the container; {@code /} when null
 */
public record ProcessRequest(
    List<String> args, List<String> env, String cwd, boolean terminal, int uid, int gid) {
  public ProcessRequest {
    ProcessSpec s = new ProcessSpec(args, env, cwd, terminal, uid, gid);
    args = s.args();
    env = s.env();
    cwd = s.cwd();
  }

  /** A root process running {@code args} in {@code /} with the default environment. */
  public static ProcessRequest of(List<String> args) {
    return new ProcessRequest(args, List.of(), "/", false, 0, 0);
  }

  /** As the runtime takes it. */
  public ProcessSpec spec() {
    return new ProcessSpec(args, env, cwd, terminal, uid, gid);
  }
}
