package dev.corral.supervisor.recovery;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.monitor.ExitFile;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.ProcStat;
import dev.corral.state.ExecRecord;
import dev.corral.state.StateDir;
import dev.corral.supervisor.exit.ExitHandler;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.task.RecoveredExec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for each exec directory of a recovered container, what the exec is now. The durable fact
 * is {@code exec.json}, written once the exec runs and before anyone is told so, and again with the
 * exit once that is reported.
 *
 * <ul>
 *   <li>no record: the daemon died while starting it (nobody was told it runs): its conmon and
 *       process are killed and the directory removed;
 *   <li>an exit in the record: stopped, reported already;
 *   <li>its conmon still alive (pid and start time) in a live container: running, watched again;
 *   <li>its conmon alive but the container gone: the exec is killed, then read as below;
 *   <li>conmon gone, exit file there: exited while no daemon watched, with that code and time;
 *   <li>conmon gone, no exit file: shim lost: the exec is killed (137) or was gone (255).
 * </ul>
 *
 * <p>Blocking (files, /proc, signals): runs on the recovery scan threads. Thread-safe (no state).
 */
public final class ExecRecovery {
  private static final Logger log = LoggerFactory.getLogger(ExecRecovery.class);
  private static final int SIGKILL = 9;
  private static final Duration CONMON_GRACE = Duration.ofSeconds(2);

  private final ContainerRuntime runtime;
  private final StateDir state;
  private final Clock clock;

  public ExecRecovery(ContainerRuntime runtime, StateDir state, Clock clock) {
    this.runtime = runtime;
    this.state = state;
    this.clock = clock;
  }

  /** The execs of {@code c}, in id order; interrupted or unreadable ones are cleaned away. */
  public List<RecoveredExec> execs(RecoveredContainer c) {
    List<String> ids;
    try {
      ids = state.execIds(c.ref());
    } catch (IOException e) {
      log.warn("container {}: cannot list its execs: {}", c.ref(), e.toString());
      return List.of();
    }
    List<RecoveredExec> out = new ArrayList<>();
    for (String execId : ids) {
      Optional<ExecRecord> r;
      try {
        r = state.readExec(c.ref(), execId);
      } catch (IOException e) {
        abandon(c.ref(), execId, "unreadable record (" + e.getMessage() + ")");
        continue;
      }
      if (r.isEmpty()) {
        abandon(c.ref(), execId, "start interrupted before it was reported");
      } else {
        out.add(resolve(c, r.get()));
      }
    }
    return out;
  }

  public RecoveredExec resolve(RecoveredContainer c, ExecRecord r) {
    if (r.exited()) {
      return new RecoveredExec(r, new RecoveredContainer.Exit(r.exitCode(), at(r), r.reason()));
    }
    if (ProcStat.alive(r.conmonPid(), r.conmonStartTime())) {
      if (c.running()) {
        return new RecoveredExec(r, null);
      }
      // Its container is gone, and an exec cannot outlive it: end it, and let conmon record it.
      kill(c.ref(), r);
      awaitGone(r.conmonPid(), r.conmonStartTime());
    }
    Path exitFile = state.paths(c.ref()).execExitFile(r.execId());
    OptionalInt code = ExitFile.code(exitFile);
    if (code.isPresent()) {
      log.info(
          "container {}: exec {} exited {} while the daemon was down",
          c.ref(),
          r.execId(),
          code.getAsInt());
      return new RecoveredExec(
          r, new RecoveredContainer.Exit(code.getAsInt(), ExitFile.exitedAt(exitFile), null));
    }
    int lost = kill(c.ref(), r) ? 137 : ExitHandler.UNKNOWN_EXIT;
    log.warn("container {}: exec {}: shim lost; reporting exit {}", c.ref(), r.execId(), lost);
    return new RecoveredExec(
        r, new RecoveredContainer.Exit(lost, Instant.now(clock), ExitHandler.SHIM_LOST));
  }

  private static Instant at(ExecRecord r) {
    try {
      return r.exitedAt() == null ? Instant.EPOCH : Instant.parse(r.exitedAt());
    } catch (DateTimeException e) {
      return Instant.EPOCH;
    }
  }

  /** SIGKILL to the exec's process if it is still that process; true when it was. */
  private boolean kill(ContainerRef id, ExecRecord r) {
    try {
      runtime.signalProcess(id, r.execId(), r.pid(), r.startTime(), SIGKILL);
      return true;
    } catch (CorralException e) {
      return false; // gone already (or never signalable: start time 0)
    }
  }

  private static void awaitGone(int pid, long startTime) {
    long deadline = System.nanoTime() + CONMON_GRACE.toNanos();
    while (ProcStat.alive(pid, startTime) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * An exec nobody was told about: kills its process (the child of its conmon) and the conmon, as
   * found through the pid files in its directory, then removes the directory.
   */
  private void abandon(ContainerRef id, String execId, String why) {
    log.warn("container {}: exec {}: {}; it is stopped and removed", id, execId, why);
    Path dir = state.paths(id).execDir(execId);
    OptionalInt conmon = pidFile(dir.resolve("conmon.pid"));
    if (conmon.isPresent() && ownConmon(conmon.getAsInt(), dir)) {
      OptionalInt exec = pidFile(dir.resolve("exec.pid"));
      if (exec.isPresent() && ProcStat.parent(exec.getAsInt()).equals(conmon)) {
        ProcessHandle.of(exec.getAsInt()).ifPresent(ProcessHandle::destroyForcibly);
      }
      ProcessHandle.of(conmon.getAsInt()).ifPresent(ProcessHandle::destroyForcibly);
    }
    try {
      StateDir.removeTree(dir);
    } catch (IOException e) {
      log.warn("container {}: exec {}: removing its directory: {}", id, execId, e.toString());
    }
  }

  /** Whether {@code pid} is a conmon started for the exec in {@code dir} (pids are reused). */
  private static boolean ownConmon(int pid, Path dir) {
    try {
      String cmdline =
          new String(
              Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline")),
              StandardCharsets.UTF_8);
      return List.of(cmdline.split("\0")).contains(dir.resolve("process.json").toString());
    } catch (IOException gone) {
      return false;
    }
  }

  private static OptionalInt pidFile(Path file) {
    try {
      return OptionalInt.of(Integer.parseInt(Files.readString(file).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
