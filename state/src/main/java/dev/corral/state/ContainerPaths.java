package dev.corral.state;

import java.nio.file.Path;

/**
 * The files of one container inside the state dir; see {@link StateDir} for the layout. Immutable.
 */
public record ContainerPaths(Path dir) {
  public Path metadata() {
    return dir.resolve("container.json");
  }

  public Path status() {
    return dir.resolve("status.json");
  }

  /** The shim's identity ({@link ShimRecord}), durable before the container runs. */
  public Path shim() {
    return dir.resolve("shim.json");
  }

  public Path bundle() {
    return dir.resolve("bundle");
  }

  public Path persist() {
    return dir.resolve("persist");
  }

  public Path exits() {
    return dir.resolve("exits");
  }

  /** conmon writes the exit code here (also to exits/ID); one file per container. */
  public Path exitFile() {
    return persist().resolve("exit");
  }

  public Path log() {
    return dir.resolve("container.log");
  }

  public Path initPidFile() {
    return dir.resolve("init.pid");
  }

  public Path conmonPidFile() {
    return dir.resolve("conmon.pid");
  }

  /** The directory holding one directory per exec. */
  public Path execsDir() {
    return dir.resolve("execs");
  }

  /** One exec's own directory (its conmon's bundle, persist and exit dirs, log, process.json). */
  public Path execDir(String execId) {
    return execsDir().resolve(execId);
  }

  /** The log an exec's conmon keeps (k8s-file, like the container's). */
  public Path execLog(String execId) {
    return execDir(execId).resolve("exec.log");
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
