package dev.corral.runtime;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything conmon needs to run one exec in a running container. Each exec has a directory of its
 * own under the container's state dir: conmon names the exit file after the container, not the
 * exec, so exits, persist dir and pid files must not be shared (docs/runtime-notes.md, "exec
 * through conmon"). Immutable.
 *
 * @param container the running container (its id is conmon's {@code -c})
 * @param execId the exec's id, unique within the container
 * @param dir the exec's own directory: conmon's {@code -b} (its ctl and winsz FIFOs go there)
 * @param processJson the OCI process ({@code --exec-process-spec}), already written
 * @param stdin keep the exec's stdin open ({@code -i})
 * @param terminal allocate a pty ({@code -t})
 * @param runtimeArgs extra global runc arguments, as the container was created with
 * @param logFile the exec's k8s-file log; its directory must exist
 */
public record ExecSpec(
    ContainerRef container,
    String execId,
    Path dir,
    Path processJson,
    boolean stdin,
    boolean terminal,
    List<String> runtimeArgs,
    Path logFile) {
  public ExecSpec {
    Ids.require("id", execId);
    runtimeArgs = List.copyOf(runtimeArgs);
  }

  /** The container's id within its namespace. */
  public String containerId() {
    return container.id();
  }

  /** An exec whose log lies in its own directory. */
  public ExecSpec(
      ContainerRef container,
      String execId,
      Path dir,
      Path processJson,
      boolean stdin,
      boolean terminal,
      List<String> runtimeArgs) {
    this(
        container, execId, dir, processJson, stdin, terminal, runtimeArgs, dir.resolve("exec.log"));
  }

  /** conmon's cwd and {@code --persist-dir}: receives {@code exit}. */
  public Path persistDir() {
    return dir.resolve("persist");
  }

  /** The file the exit monitor reads once the exec's conmon is gone. */
  public Path exitFile() {
    return persistDir().resolve("exit");
  }

  public Path exitDir() {
    return dir.resolve("exits");
  }

  public Path pidFile() {
    return dir.resolve("exec.pid");
  }

  public Path conmonPidFile() {
    return dir.resolve("conmon.pid");
  }

  /** conmon's {@code -u}: names the exec's entry (and attach socket) in the socket dir. */
  public String shimToken() {
    return ShimToken.ofExec(container, execId);
  }
}
