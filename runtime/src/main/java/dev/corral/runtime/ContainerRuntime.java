package dev.corral.runtime;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the supervisor needs of an OCI runtime and its shim. Every method blocks on a child process
 * (conmon or runc) and so runs on a worker thread, never on the supervisor loop. Failures are
 * {@link CorralException}s whose message carries runc's (or conmon's) own last error line.
 * Implementations are thread-safe.
 */
public interface ContainerRuntime {
  /**
   * Spawns a conmon for {@code spec}, which runs {@code runc create}; returns once conmon has
   * reported the container's init pid on the sync pipe. On failure nothing is left running.
   */
  Created create(CreateSpec spec);

  /**
   * {@code runc start ID}: lets the init that {@link #create} returned as {@code created} run the
   * user's process.
   */
  void start(ContainerRef id, Created created);

  /** {@code runc kill ID SIGNAL [--all]}. */
  void kill(ContainerRef id, int signal, boolean all);

  /** {@code runc pause ID} (the freezer). */
  void pause(ContainerRef id);

  /** {@code runc resume ID}. */
  void resume(ContainerRef id);

  /** {@code runc update} with the limits {@code r} sets. */
  void update(ContainerRef id, ResourceUpdate r);

  /**
   * Runs an exec in a running container through its own conmon; returns once it runs. On failure
   * nothing is left running.
   */
  ExecStarted exec(ExecSpec spec);

  /**
   * Sends {@code signal} to an exec's process with kill(2), after checking that {@code pid} is
   * still the process that started at {@code startTime} ({@code runc kill} can only reach the
   * init).
   *
   * @throws CorralException failed_precondition when that process is gone
   */
  void signalProcess(ContainerRef id, String execId, int pid, long startTime, int signal);

  /**
   * The attach socket of the init ({@code execId} null) or of an exec: {@code
   * SOCKDIR/TOKEN/attach}. Does not block.
   */
  Path attachSocket(ContainerRef id, String execId);

  /** Closes the process's stdin: shutdown(SHUT_WR) on its attach socket (conmon -i). */
  void closeStdin(ContainerRef id, String execId);

  /** Resizes the process's pty through the ctl FIFO in its conmon's bundle dir {@code -b}. */
  void resize(ContainerRef id, String execId, Path shimBundle, int height, int width);

  /** {@code runc checkpoint} of a running container into {@code imageDir}. */
  void checkpoint(ContainerRef id, Path imageDir, CheckpointOptions options);

  /** {@code runc delete [--force] ID}; a container runc does not know is not an error. */
  void delete(ContainerRef id, boolean force);

  /**
   * Removes what conmon leaves in the socket dir for an exited container and its execs, without
   * runc: the fast delete's part that must be done before the id can be used again.
   */
  void removeShimLinks(ContainerRef id);

  /** {@code runc state ID}, or empty when runc does not know the container. */
  Optional<RuncState> state(ContainerRef id);

  /** First line of {@code runc --version}, e.g. {@code runc version 1.1.5+ds1}. */
  String runtimeVersion();

  /** First line of {@code conmon --version}. */
  String shimVersion();
}
