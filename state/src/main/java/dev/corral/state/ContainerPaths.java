package dev.corral.state;

import java.nio.file.Path;

/**
 * The files of one container; see {@link StateDir} for the layout. What must survive a reboot lies
 * under {@code dir} (in {@code --root}); what describes live processes lies under {@code run} (in
 * {@code --state}, a tmpfs). Immutable.
 *
 * @param dir {@code ROOT/namespaces/NS/containers/ID}: metadata, status, logs, checkpoints
 * @param run {@code STATE/namespaces/NS/containers/ID}: the shim record, the bundle copy, conmon's
 *     files, execs
 */
public record ContainerPaths(Path dir, Path run) {
  public Path metadata() {
    return dir.resolve("container.json");
  }

  public Path status() {
    return dir.resolve("status.json");
  }

  /** The shim's identity ({@link ShimRecord}), written before the container runs. */
  public Path shim() {
    return run.resolve("shim.json");
  }

  public Path bundle() {
    return run.resolve("bundle");
  }

  public Path persist() {
    return run.resolve("persist");
  }

  public Path exits() {
    return run.resolve("exits");
  }

  /** conmon writes the exit code here (also to exits/ID); one file per container. */
  public Path exitFile() {
    return persist().resolve("exit");
  }

  public Path log() {
    return dir.resolve("container.log");
  }

  public Path initPidFile() {
    return run.resolve("init.pid");
  }

  public Path conmonPidFile() {
    return run.resolve("conmon.pid");
  }

  /** The directory holding one directory per exec. */
  public Path execsDir() {
    return run.resolve("execs");
  }

  /** One exec's own directory (its conmon's bundle, persist and exit dirs, process.json). */
  public Path execDir(String execId) {
    return execsDir().resolve(execId);
  }

  /** An exec's log: beside the container's, so it outlives a reboot as the container's does. */
  public Path execLog(String execId) {
    return dir.resolve("execs").resolve(execId).resolve("exec.log");
  }

  /** The durable record of one exec ({@link ExecRecord}). */
  public Path execRecord(String execId) {
    return execDir(execId).resolve("exec.json");
  }

  /** conmon writes an exec's exit code here. */
  public Path execExitFile(String execId) {
    return execDir(execId).resolve("persist").resolve("exit");
  }

  /** One checkpoint's image dir (CRIU's images and its dump.log). */
  public Path checkpoint(String name) {
    return dir.resolve("checkpoints").resolve(name);
  }
}
