package dev.corral.runtime;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.runtime.sys.ExitStatus;
import dev.corral.runtime.sys.Pidfd;
import dev.corral.runtime.sys.Pipe;
import dev.corral.runtime.sys.Spawner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a container the way podman does: spawns conmon with a sync pipe on fd 3 and a start pipe
 * on fd 4, releases it with one byte, reaps the first conmon (which double-forks and exits), reads
 * the long-lived conmon's pid file, then waits on the sync pipe for {@code {"data": initPid}} or
 * {@code {"data": -1, "message": "..."}}. conmon runs {@code runc create}; it never runs {@code
 * runc start}. See docs/runtime-notes.md, "Starting a container through conmon".
 *
 * <p>On any failure nothing is left behind: conmon is given a moment to exit by itself, then
 * killed, and {@code runc delete --force} removes a half-created container, unless the failure was
 * that the id already exists, in which case the container belongs to someone else.
 *
 * <p>Immutable and thread-safe; {@link #launch} blocks (about 30 ms) and belongs on a worker.
 */
public final class ConmonLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ConmonLauncher.class);
  private static final Gson GSON = new Gson();
  static final int SYNC_FD = 3;
  static final int START_FD = 4;
  static final Map<String, String> ENV =
      Map.of(
          "_OCI_SYNCPIPE", Integer.toString(SYNC_FD),
          "_OCI_STARTPIPE", Integer.toString(START_FD),
          "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

  /** How long a conmon that reported a failure may take to exit before it is killed. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

  private static final List<String> BAD_SPEC =
      List.of("executable file not found", "no such file or directory", "permission denied");

  private final Path conmon;
  private final Path runcBinary;
  private final Function<String, Path> runcRoots;
  private final Path socketDir;
  private final Runc runc;
  private final Duration timeout;

  /** conmon's sync message: the init (or exec) pid, or -1 and runc's error. */
  record SyncMessage(Integer data, String message) {}

  /** The long-lived conmon; startTime is empty when it was already gone. */
  private record Shim(int pid, OptionalLong startTime) {}

  /**
   * @param socketDir conmon's {@code --socket-dir-path}; must be short, since attach sockets live
   *     at {@code socketDir/TOKEN/attach} and unix socket paths hold at most 107 bytes
   * @param timeout how long conmon may take to report the init pid (and each runc call)
   */
  public ConmonLauncher(
      Path conmon,
      Path runcBinary,
      Function<String, Path> runcRoots,
      Path socketDir,
      Duration timeout) {
    this.conmon = conmon;
    this.runcBinary = runcBinary;
    this.runcRoots = runcRoots;
    this.socketDir = socketDir;
    this.timeout = timeout;
    this.runc = new Runc(runcBinary, runcRoots, timeout);
  }

  /**
   * Runs conmon and, through it, {@code runc create}.
   *
   * @throws CorralException invalid_argument when runc rejects the bundle's process (missing
   *     executable, no such file, permission denied), already_exists for a duplicate id,
   *     failed_precondition for other create failures, deadline_exceeded when conmon stays silent
   *     past the timeout; the message keeps runc's own text
   */
  public Created launch(CreateSpec spec) {
    createDirectories(spec);
    long deadline = System.nanoTime() + timeout.toNanos();
    return spawn(
        argv(spec), spec.persistDir(), (first, sync) -> afterSpawn(spec, first, sync, deadline));
  }

  /** What to do once conmon runs: reap the first conmon, read the sync pipe. */
  interface AfterSpawn<T> {
    T accept(int firstPid, Pipe sync);
  }

  /**
   * The handshake a create and an exec share: conmon with the sync pipe on fd 3 and the start pipe
   * on fd 4, its cwd {@code cwd} (where it leaves {@code ./oom}), released at once.
   */
  static <T> T spawn(List<String> argv, Path cwd, AfterSpawn<T> after) {
    try (Pipe sync = Pipe.open();
        Pipe start = Pipe.open()) {
      int first =
          Spawner.spawn(argv, ENV, cwd, Map.of(SYNC_FD, sync.writeFd(), START_FD, start.readFd()));
      // Our copies of the child's ends must go, or we would never see EOF on the sync pipe.
      sync.closeWrite();
      start.closeRead();
      release(start);
      return after.accept(first, sync);
    }
  }

  /**
   * One byte on the start pipe lets conmon go on; EOF does too, so when the write fails (EPIPE:
   * conmon already died) closing is enough and reaping it tells what happened.
   */
  static void release(Pipe start) {
    try {
      start.writeByte();
    } catch (CorralException e) {
      LOG.debug("conmon start pipe: {}", e.getMessage());
    } finally {
      start.closeWrite();
    }
  }

  private Created afterSpawn(CreateSpec spec, int first, Pipe sync, long deadline) {
    Shim shim = null;
    try {
      long t0 = System.nanoTime();
      reapFirst(spec.id(), first, deadline);
      long t1 = System.nanoTime();
      shim = readShim(spec);
      long t2 = System.nanoTime();
      int initPid = awaitInitPid(spec.id(), sync, deadline);
      long t3 = System.nanoTime();
      long startTime = shim.startTime().orElseThrow(() -> conmonGone(spec.id()));
      // Where a slow create's time went: conmon's own start (until the first one exits), its pid
      // file, and runc create (until the sync pipe reports the init).
      LOG.debug(
          "container {}: created, init {}, conmon {}: conmon daemonized in {} us, pid file read in"
              + " {} us, runc create reported in {} us",
          spec.id(),
          initPid,
          shim.pid(),
          (t1 - t0) / 1000,
          (t2 - t1) / 1000,
          (t3 - t2) / 1000);
      return new Created(initPid, shim.pid(), startTime, initStartTime(initPid, shim.pid()));
    } catch (CorralException e) {
      cleanUp(spec, shim, e);
      throw e;
    }
  }

  /** The whole conmon command line; {@code --runtime-arg}s go between runc and its verb. */
  List<String> argv(CreateSpec spec) {
    Target t =
        new Target(
            spec.ref(),
            ShimToken.of(spec.ref()),
            spec.bundle(),
            spec.pidFile(),
            spec.conmonPidFile(),
            spec.logFile(),
            spec.exitDir(),
            spec.persistDir(),
            spec.runtimeArgs(),
            spec.stdin(),
            spec.terminal());
    List<String> a = commonArgv(t, List.of());
    if (spec.restoreFrom() != null) {
      a.addAll(List.of("--restore", spec.restoreFrom().toString()));
    }
    return a;
  }

  /** What a create and an exec tell conmon alike; {@code bundle} is the exec dir for an exec. */
  record Target(
      ContainerRef container,
      String token,
      Path bundle,
      Path pidFile,
      Path conmonPidFile,
      Path logFile,
      Path exitDir,
      Path persistDir,
      List<String> runtimeArgs,
      boolean stdin,
      boolean terminal) {}

  /**
   * The conmon command line shared by create and exec: {@code --runtime-arg}s go between runc and
   * its verb; {@code modeArgs} (e.g. {@code --exec ...}) come before {@code -i}/{@code -t}.
   */
  List<String> commonArgv(Target t, List<String> modeArgs) {
    String id = t.container().id();
    List<String> a = new ArrayList<>(List.of(conmon.toString(), "--api-version", "1"));
    a.addAll(List.of("-c", id, "-u", t.token(), "-n", id, "-r", runcBinary.toString()));
    a.addAll(List.of("-b", t.bundle().toString(), "-p", t.pidFile().toString()));
    a.addAll(List.of("-P", t.conmonPidFile().toString(), "-l", "k8s-file:" + t.logFile()));
    a.addAll(List.of("--exit-dir", t.exitDir().toString()));
    a.addAll(List.of("--persist-dir", t.persistDir().toString()));
    a.addAll(List.of("--socket-dir-path", socketDir.toString(), "--log-level", "warn"));
    // Without it conmon fsyncs the container's log after the exit and before it writes the exit
    // file: measured 0.2-0.6 ms, up to 22 ms under load, on the exit-event path. The exit file
    // itself is renamed into place without an fsync, so that sync buys no consistent crash state.
    a.add("--no-sync-log");
    a.addAll(List.of("--runtime-arg", "--root=" + runcRoots.apply(t.container().namespace())));
    t.runtimeArgs().forEach(arg -> a.addAll(List.of("--runtime-arg", arg)));
    a.addAll(modeArgs);
    if (t.stdin()) {
      a.add("-i");
    }
    if (t.terminal()) {
      a.add("-t");
    }
    return a;
  }

  private void createDirectories(CreateSpec spec) {
    try {
      Files.createDirectories(spec.persistDir());
      Files.createDirectories(spec.exitDir());
      Files.createDirectories(socketDir);
      Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
      // A stale pid file from an earlier attempt would name some other process.
      Files.deleteIfExists(spec.conmonPidFile());
    } catch (IOException e) {
      throw CorralException.internal(e, "container %s: create conmon dirs: %s", spec.id(), e);
    }
  }

  /** The first conmon exits 0 within about a millisecond of the start byte. */
  static void reapFirst(String id, int pid, long deadline) {
    Optional<ExitStatus> status = Spawner.await(pid, deadline);
    if (status.isEmpty()) {
      Spawner.killAndReap(pid);
      if (Thread.currentThread().isInterrupted()) {
        throw CorralException.internal(null, "interrupted while waiting for conmon");
      }
      throw CorralException.deadlineExceeded("container %s: conmon did not daemonize", id);
    }
    if (!status.get().success()) {
      throw CorralException.internal(null, "container %s: conmon: %s", id, status.get());
    }
  }

  /**
   * The init's start time, so that its pidfd, opened later, can be checked to name this process;
   * {@link Created#UNKNOWN} when the pid is already gone or not conmon's child (then only conmon's
   * exit file will tell its code). The init waits in runc's create state here, so it is there.
   */
  static long initStartTime(int initPid, int conmonPid) {
    return ProcStat.startTimeIfChildOf(initPid, conmonPid).orElse(Created.UNKNOWN);
  }

  private static Shim readShim(CreateSpec spec) {
    int pid = readPidFile(spec.id(), spec.conmonPidFile());
    return new Shim(pid, ProcStat.startTime(pid));
  }

  static int readPidFile(String id, Path file) {
    try {
      return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      throw CorralException.internal(e, "container %s: conmon pid file %s: %s", id, file, e);
    }
  }

  private int awaitInitPid(String id, Pipe sync, long deadline) {
    String line =
        sync.readLine(deadline)
            .orElseThrow(
                () ->
                    CorralException.deadlineExceeded(
                        "container %s: conmon did not report within %d ms",
                        id, timeout.toMillis()));
    SyncMessage m = parseSync(id, line);
    if (m.data() < 0) {
      throw createFailed(id, runcText(m.message()));
    }
    return m.data();
  }

  static SyncMessage parseSync(String id, String line) {
    if (line.isBlank()) {
      throw CorralException.internal(null, "container %s: conmon exited without a pid", id);
    }
    try {
      SyncMessage m = GSON.fromJson(line, SyncMessage.class);
      if (m != null && m.data() != null) {
        return m;
      }
    } catch (JsonParseException e) {
      // reported below with the line itself
    }
    throw CorralException.internal(null, "container %s: conmon sent %s", id, line);
  }

  /** conmon relays runc's stderr as it is: logrus text lines, not the bare message. */
  static String runcText(String relayed) {
    return relayed == null || relayed.isBlank()
        ? "runc create failed"
        : RuncErrors.fromStderr(relayed);
  }

  /** Classifies conmon's relay of runc's create error; the text stays runc's. */
  static CorralException createFailed(String id, String message) {
    return classified(String.format("container %s: %s", id, message), message);
  }

  /** Classifies runc's {@code message}; {@code text} is what the caller reads. */
  static CorralException classified(String text, String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (BAD_SPEC.stream().anyMatch(m::contains)) {
      return CorralException.invalidArgument("%s", text);
    }
    if (RuncErrors.kindOf(message) == ErrorKind.ALREADY_EXISTS) {
      return CorralException.alreadyExists("%s", text);
    }
    return CorralException.failedPrecondition("%s", text);
  }

  private static CorralException conmonGone(String id) {
    return CorralException.internal(null, "container %s: conmon exited after create", id);
  }

  /** Leaves nothing behind: no conmon, no runc container, no socket-dir link. */
  private void cleanUp(CreateSpec spec, Shim shim, CorralException cause) {
    Shim s = shim != null ? shim : tryReadShim(spec);
    if (s != null && s.startTime().isPresent()) {
      boolean stuck = cause.kind() == ErrorKind.DEADLINE_EXCEEDED;
      stopShim(s.pid(), s.startTime().getAsLong(), stuck ? Duration.ZERO : EXIT_GRACE);
    }
    if (cause.kind() == ErrorKind.ALREADY_EXISTS) {
      return; // the existing container and its link are not ours to remove
    }
    try {
      runc.delete(spec.ref(), true);
    } catch (CorralException e) {
      LOG.warn("container {}: cleanup after failed create: {}", spec.id(), e.getMessage());
    }
    Exec.deleteQuietly(socketDir.resolve(ShimToken.of(spec.ref())));
  }

  private static Shim tryReadShim(CreateSpec spec) {
    try {
      return readShim(spec);
    } catch (CorralException e) {
      return null; // conmon never got as far as writing its pid
    }
  }

  static void stopShim(int pid, long startTime, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (ProcStat.alive(pid, startTime) && System.nanoTime() < deadline) {
      sleepMillis(10);
    }
    if (ProcStat.alive(pid, startTime)) {
      LOG.warn("conmon {} did not exit after a failed create: killing it", pid);
      Pidfd.kill(pid, Pidfd.SIGKILL);
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CorralException.internal(e, "interrupted while waiting for conmon");
    }
  }
}
