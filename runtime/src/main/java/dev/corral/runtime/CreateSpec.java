package dev.corral.runtime;

import dev.corral.core.ContainerRef;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything conmon and runc need to create one container. All paths are absolute and lie in the
 * daemon's state dir; {@code bundle} is the daemon's copy of the user's bundle (its config.json
 * rewritten by {@link Bundles#prepare}), never the user's own directory.
 *
 * @param ref the container: its namespace picks runc's root, its id is runc's and conmon's id
 * @param bundle the bundle dir handed to runc ({@code -b})
 * @param persistDir conmon's cwd and {@code --persist-dir}; receives {@code exit} and {@code oom}
 * @param exitDir conmon's {@code --exit-dir}; receives a file named {@code id}
 * @param logFile the k8s-file log path
 * @param pidFile where runc writes the init pid ({@code -p})
 * @param conmonPidFile where conmon writes its own pid ({@code -P})
 * @param stdin keep stdin open ({@code -i})
 * @param terminal allocate a pty ({@code -t})
 * @param runtimeArgs extra global runc arguments, after {@code --root}
 * @param restoreFrom a checkpoint's image dir: conmon then runs {@code runc restore} instead of
 *     create, and the container runs at once (no {@code runc start}); null for a plain create
 */
public record CreateSpec(
    ContainerRef ref,
    Path bundle,
    Path persistDir,
    Path exitDir,
    Path logFile,
    Path pidFile,
    Path conmonPidFile,
    boolean stdin,
    boolean terminal,
    List<String> runtimeArgs,
    Path restoreFrom) {
  public CreateSpec {
    runtimeArgs = List.copyOf(runtimeArgs);
  }

  /** The container's id within its namespace: runc's and conmon's id of it. */
  public String id() {
    return ref.id();
  }

  /** A plain create, not a restore. */
  public CreateSpec(
      ContainerRef ref,
      Path bundle,
      Path persistDir,
      Path exitDir,
      Path logFile,
      Path pidFile,
      Path conmonPidFile,
      boolean stdin,
      boolean terminal,
      List<String> runtimeArgs) {
    this(
        ref,
        bundle,
        persistDir,
        exitDir,
        logFile,
        pidFile,
        conmonPidFile,
        stdin,
        terminal,
        runtimeArgs,
        null);
  }
}
