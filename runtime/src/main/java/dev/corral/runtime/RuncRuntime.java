package dev.corral.runtime;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The real {@link ContainerRuntime}: conmon creates (through {@link ConmonLauncher}), runc does
 * everything else (through {@link Runc}).
 *
 * <p>Immutable and thread-safe; every method blocks on a child process and belongs on a worker
 * thread, never on the supervisor loop.
 */
public final class RuncRuntime implements ContainerRuntime {
  /** How long one runc call, or conmon's report of a create, may take. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** sun_path holds 107 bytes and a NUL. */
  static final int MAX_SOCKET_PATH = 107;

  private static final String ATTACH = "/attach";

  private final Path conmonBinary;
  private final Path socketDir;
  private final Function<String, Path> runcRoots;
  private final Runc runc;
  private final ConmonLauncher launcher;
  private final ExecLauncher execs;

  /**
   * @param runcRoots runc's {@code --root} of each namespace, private to this daemon
   * @param socketDir conmon's socket dir; {@code socketDir/TOKEN/attach} must fit a unix socket
   *     path (see {@link ShimToken}), so at most 83 bytes long
   * @throws CorralException failed_precondition when socketDir is too long
   */
  public RuncRuntime(
      Path runcBinary, Path conmonBinary, Function<String, Path> runcRoots, Path socketDir) {
    int longest =
        socketDir.toString().getBytes(StandardCharsets.UTF_8).length + 1 + ShimToken.LENGTH;
    if (longest + ATTACH.length() > MAX_SOCKET_PATH) {
      throw CorralException.failedPrecondition(
          "socket dir %s: too long; attach socket paths must fit in %d bytes",
          socketDir, MAX_SOCKET_PATH);
    }
    this.conmonBinary = conmonBinary;
    this.socketDir = socketDir;
    this.runcRoots = runcRoots;
    this.runc = new Runc(runcBinary, runcRoots, TIMEOUT);
    this.launcher = new ConmonLauncher(conmonBinary, runcBinary, runcRoots, socketDir, TIMEOUT);
    this.execs = new ExecLauncher(conmonBinary, runcBinary, runcRoots, socketDir, TIMEOUT);
  }

  @Override
  public Created create(CreateSpec spec) {
    return launcher.launch(spec);
  }

  /** Through runc's exec FIFO where it can ({@link ExecFifo}), else {@code runc start}. */
  @Override
  public void start(ContainerRef id, Created created) {
    Path fifo = runcRoots.apply(id.namespace()).resolve(id.id()).resolve(ExecFifo.NAME);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String what = "container " + id;
    if (ExecFifo.start(what, fifo, created.initPid(), created.initStartTime(), deadline)
        == ExecFifo.Outcome.NOT_HANDLED) {
      runc.start(id);
    }
  }

  @Override
  public void kill(ContainerRef id, int signal, boolean all) {
    runc.kill(id, signal, all);
  }

  @Override
  public void pause(ContainerRef id) {
    runc.pause(id);
  }

  @Override
  public void resume(ContainerRef id) {
    runc.resume(id);
  }

  @Override
  public void update(ContainerRef id, ResourceUpdate r) {
    runc.update(id, r);
  }

  @Override
  public ExecStarted exec(ExecSpec spec) {
    return execs.launch(spec);
  }

  @Override
  public void signalProcess(ContainerRef id, String execId, int pid, long startTime, int signal) {
    ProcessSignals.send(id.toString(), execId, pid, startTime, signal);
  }

  @Override
  public void checkpoint(ContainerRef id, Path imageDir, CheckpointOptions options) {
    runc.checkpoint(id, imageDir, options);
  }

  @Override
  public Path attachSocket(ContainerRef id, String execId) {
    String token = execId == null ? ShimToken.of(id) : ShimToken.ofExec(id, execId);
    return socketDir.resolve(token).resolve("attach");
  }

  @Override
  public void closeStdin(ContainerRef id, String execId) {
    try (SeqPacketSocket s = SeqPacketSocket.connect(attachSocket(id, execId))) {
      s.shutdownOutput();
    }
  }

  @Override
  public void resize(ContainerRef id, String execId, Path shimBundle, int height, int width) {
    String what = "container " + id + ": process " + (execId == null ? Ids.INIT : execId);
    ControlFifo.resize(what, shimBundle, height, width);
  }

  /**
   * Also removes conmon's {@code socketDir/TOKEN} links, which conmon leaves behind: the init's and
   * those of the container's execs (they point into the same container dir).
   */
  @Override
  public void delete(ContainerRef id, boolean force) {
    runc.delete(id, force);
    ShimLinks.removeAll(socketDir, ShimToken.of(id));
  }

  @Override
  public void removeShimLinks(ContainerRef id) {
    ShimLinks.removeAll(socketDir, ShimToken.of(id));
  }

  @Override
  public Optional<RuncState> state(ContainerRef id) {
    return runc.state(id);
  }

  @Override
  public String runtimeVersion() {
    return runc.version();
  }

  @Override
  public String shimVersion() {
    Exec.Result r =
        Exec.run("conmon --version", List.of(conmonBinary.toString(), "--version"), TIMEOUT);
    if (r.exitCode() != 0) {
      throw CorralException.internal(null, "conmon --version: %s", r.stderr().strip());
    }
    return Exec.firstLine(r.stdout());
  }
}
