package dev.corral.supervisor.model;

import dev.corral.core.CorralException;
import dev.corral.core.Timestamps;
import dev.corral.runtime.ExecStarted;
import dev.corral.state.ExecRecord;
import dev.corral.supervisor.task.ExecProcessRequest;
import dev.corral.supervisor.task.ExecRequest;
import dev.corral.supervisor.task.ExitView;
import dev.corral.supervisor.task.ProcessView;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One exec of a container as the loop holds it: creating (its conmon is being started) → running →
 * stopped, with the replies waiting on it. Stopped execs stay listed until the container is
 * deleted, so their exit codes can still be waited for. Each has a durable {@link ExecRecord}, from
 * which a restarted daemon rebuilds it ({@link #recovered}).
 *
 * <p>Confined to the supervisor loop thread: every field below is read and written there only, and
 * every instance method asserts it runs there.
 */
public final class ExecProcess {
  /** Where an exec is in its life. */
  public enum State {
    CREATING,
    RUNNING,
    STOPPED
  }

  /** An exec's process as a signal needs it: a pid is only trusted with its start time. */
  public record Target(String execId, int pid, long startTime) {}

  private final String id;
  private final List<String> args;
  private final boolean terminal;
  private final boolean stdin;
  private State state = State.CREATING; // loop thread
  private ExecStarted started; // loop thread; set when running
  private int exitCode = -1; // loop thread
  private Instant exitedAt; // loop thread
  private String reason; // loop thread
  private Reply<ProcessView> startReply; // loop thread; null once answered
  private final List<Reply<ExitView>> waiters = new ArrayList<>(); // loop thread

  public ExecProcess(ExecRequest request, Reply<ProcessView> startReply) {
    this(
        request.execId(),
        request.process().args(),
        request.process().terminal(),
        request.stdin(),
        startReply);
  }

  private ExecProcess(
      String id, List<String> args, boolean terminal, boolean stdin, Reply<ProcessView> reply) {
    this.id = id;
    this.args = List.copyOf(args);
    this.terminal = terminal;
    this.stdin = stdin;
    this.startReply = reply;
  }

  /** An exec found by a restarted daemon: running, or stopped with {@code exit}. */
  public static ExecProcess recovered(ExecRecord r, RecoveredContainer.Exit exit) {
    ExecProcess e = new ExecProcess(r.execId(), r.args(), r.terminal(), r.stdin(), null);
    e.running(new ExecStarted(r.pid(), r.startTime(), r.conmonPid(), r.conmonStartTime()));
    if (exit != null) {
      e.stopped(exit.code(), exit.at(), exit.reason());
    }
    return e;
  }

  /** What a restarted daemon needs of an exec that runs, written before anyone is told it runs. */
  public static ExecRecord record(ExecRequest req, ExecStarted s) {
    ExecProcessRequest p = req.process();
    return runningRecord(req.execId(), p.args(), p.terminal(), req.stdin(), s);
  }

  /** Its durable record now: running, or stopped with its reported exit. */
  public ExecRecord record() {
    assert LoopGuard.onALoopThread();
    ExecRecord r = runningRecord(id, args, terminal, stdin, started);
    return state == State.STOPPED ? r.withExit(exitCode, Timestamps.format(exitedAt), reason) : r;
  }

  private static ExecRecord runningRecord(
      String id, List<String> args, boolean terminal, boolean stdin, ExecStarted s) {
    return new ExecRecord(
        id,
        args,
        terminal,
        stdin,
        s.pid(),
        s.startTime(),
        s.conmonPid(),
        s.conmonStartTime(),
        null,
        null,
        null);
  }

  public String id() {
    assert LoopGuard.onALoopThread();
    return id;
  }

  public boolean stdin() {
    assert LoopGuard.onALoopThread();
    return stdin;
  }

  public boolean terminal() {
    assert LoopGuard.onALoopThread();
    return terminal;
  }

  public State state() {
    assert LoopGuard.onALoopThread();
    return state;
  }

  public boolean live() {
    assert LoopGuard.onALoopThread();
    return state != State.STOPPED;
  }

  /** Its process, for a worker to signal; only while it runs. */
  public Target target() {
    assert LoopGuard.onALoopThread();
    return new Target(id, started.pid(), started.startTime());
  }

  public ExecStarted started() {
    assert LoopGuard.onALoopThread();
    return started;
  }

  public void running(ExecStarted s) {
    assert LoopGuard.onALoopThread();
    if (state != State.CREATING) {
      throw CorralException.failedPrecondition("process %s: is %s, not creating", id(), state);
    }
    state = State.RUNNING;
    started = s;
  }

  public void stopped(int code, Instant at, String why) {
    assert LoopGuard.onALoopThread();
    if (state != State.RUNNING) {
      throw CorralException.failedPrecondition("process %s: is %s, not running", id(), state);
    }
    state = State.STOPPED;
    exitCode = code;
    exitedAt = at;
    reason = why;
  }

  public Reply<ProcessView> takeStartReply() {
    assert LoopGuard.onALoopThread();
    Reply<ProcessView> r = startReply;
    startReply = null;
    return r;
  }

  public void addWaiter(Reply<ExitView> r) {
    assert LoopGuard.onALoopThread();
    waiters.add(r);
  }

  public void answerWaiters() {
    assert LoopGuard.onALoopThread();
    waiters.forEach(w -> w.complete(exitView()));
    waiters.clear();
  }

  public ExitView exitView() {
    assert LoopGuard.onALoopThread();
    return new ExitView(exitCode, Timestamps.format(exitedAt), false, reason);
  }

  public ProcessView view() {
    assert LoopGuard.onALoopThread();
    String status = state.name().toLowerCase(java.util.Locale.ROOT);
    return new ProcessView(
        id(),
        state == State.RUNNING ? started.pid() : 0,
        status,
        args,
        terminal,
        state == State.STOPPED ? exitCode : null,
        Timestamps.format(exitedAt));
  }
}
