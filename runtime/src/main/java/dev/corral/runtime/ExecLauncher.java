package dev.corral.runtime;

import dev.corral.core.CorralException;
import dev.corral.runtime.sys.Pipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one exec through conmon's exec mode ({@code --exec --exec-process-spec}): the same spawn,
 * start byte and double fork as {@link ConmonLauncher}, then the first sync-pipe line is the exec's
 * pid (or -1 and runc's error). The second line, the exit code, is not waited for: conmon writes it
 * to the exec's own exit file first, and the exit monitor reads it there when conmon exits.
 *
 * <p>Immutable and thread-safe; {@link #launch} blocks (about 35 ms) and belongs on a worker.
 */
public final class ExecLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ExecLauncher.class);
  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

  private final Path socketDir;
  private final Duration timeout;

  /** The create launcher, whose command line and spawn handshake an exec shares. */
  private final ConmonLauncher creates;

  public ExecLauncher(
      Path conmon,
      Path runcBinary,
      Function<String, Path> runcRoots,
      Path socketDir,
      Duration timeout) {
    this.socketDir = socketDir;
    this.timeout = timeout;
    this.creates = new ConmonLauncher(conmon, runcBinary, runcRoots, socketDir, timeout);
  }

  /**
   * Starts the exec and returns once it runs.
   *
   * @throws CorralException invalid_argument when runc cannot run the command (not found,
   *     permission denied), failed_precondition for other runc refusals, deadline_exceeded when
   *     conmon stays silent; the message keeps runc's own text
   */
  public ExecStarted launch(ExecSpec spec) {
    createDirectories(spec);
    long deadline = System.nanoTime() + timeout.toNanos();
    return ConmonLauncher.spawn(
        argv(spec), spec.persistDir(), (first, sync) -> afterSpawn(spec, first, sync, deadline));
  }

  private ExecStarted afterSpawn(ExecSpec spec, int first, Pipe sync, long deadline) {
    String label = label(spec);
    ConmonLauncher.reapFirst(spec.containerId(), first, deadline);
    int conmonPid = ConmonLauncher.readPidFile(spec.containerId(), spec.conmonPidFile());
    OptionalLong conmonStart = ProcStat.startTime(conmonPid);
    try {
      int pid = awaitPid(label, sync, deadline);
      // A short exec may be gone already: start time 0 then means "no longer signalable".
      long startTime = ProcStat.startTime(pid).orElse(0);
      LOG.debug("{}: running, pid {}, conmon {}", label, pid, conmonPid);
      return new ExecStarted(pid, startTime, conmonPid, conmonStart.orElse(0));
    } catch (CorralException e) {
      conmonStart.ifPresent(
          t ->
              ConmonLauncher.stopShim(
                  conmonPid,
                  t,
                  e.kind() == dev.corral.core.ErrorKind.DEADLINE_EXCEEDED
                      ? Duration.ZERO
                      : EXIT_GRACE));
      Exec.deleteQuietly(socketDir.resolve(spec.shimToken()));
      throw e;
    }
  }

  private int awaitPid(String label, Pipe sync, long deadline) {
    String line =
        sync.readLine(deadline)
            .orElseThrow(
                () ->
                    CorralException.deadlineExceeded(
                        "%s: conmon did not report within %d ms", label, timeout.toMillis()));
    ConmonLauncher.SyncMessage m = ConmonLauncher.parseSync(label.substring(10), line);
    if (m.data() < 0) {
      String runcText = ConmonLauncher.runcText(m.message());
      throw ConmonLauncher.classified(label + ": " + runcText, runcText);
    }
    return m.data();
  }

  /** The conmon command line of an exec; like a create's plus {@code --exec}. */
  List<String> argv(ExecSpec spec) {
    ConmonLauncher.Target t =
        new ConmonLauncher.Target(
            spec.container(),
            spec.shimToken(),
            spec.dir(),
            spec.pidFile(),
            spec.conmonPidFile(),
            spec.logFile(),
            spec.exitDir(),
            spec.persistDir(),
            spec.runtimeArgs(),
            spec.stdin(),
            spec.terminal());
    return creates.commonArgv(
        t, List.of("--exec", "--exec-process-spec", spec.processJson().toString()));
  }

  private static String label(ExecSpec spec) {
    return "container " + spec.containerId() + ": exec " + spec.execId();
  }

  private static void createDirectories(ExecSpec spec) {
    try {
      Files.createDirectories(spec.persistDir());
      Files.createDirectories(spec.exitDir());
      Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
      Files.deleteIfExists(spec.conmonPidFile());
    } catch (IOException e) {
      throw CorralException.internal(e, "%s: create dirs: %s", label(spec), e);
    }
  }
}
