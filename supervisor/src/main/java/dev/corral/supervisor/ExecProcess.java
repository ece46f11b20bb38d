package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.core.Timestamps;
import dev.corral.runtime.ExecStarted;
import dev.corral.supervisor.task.ExitTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One exec of a container as the loop holds it: creating (its conmon is being started) → running →
 * stopped, with the replies waiting on it. Stopped execs stay listed until the container is
 * deleted, so their exit codes can still be waited for.
 *
 * <p>Confined to the supervisor loop thread: every field below is read and written there only.
 */
final class ExecProcess {
  /** Where an exec is in its life. */
  enum State {
    CREATING,
    RUNNING,
    STOPPED
  }

  private final ExecRequest request;
  private State state = State.CREATING; // loop thread
  private ExecStarted started; // loop thread; set when running
  private int exitCode = -1; // loop thread
  private Instant exitedAt; // loop thread
  private String reason; // loop thread
  private ExitTask pendingExit; // loop thread: an exit seen before the start result
  private Reply<ProcessView> startReply; // loop thread; null once answered
  private final List<Reply<ExitView>> waiters = new ArrayList<>(); // loop thread

  ExecProcess(ExecRequest request, Reply<ProcessView> startReply) {
    this.request = request;
    this.startReply = startReply;
  }

  String id() {
    return request.execId();
  }

  boolean stdin() {
    return request.stdin();
  }

  boolean terminal() {
    return request.process().terminal();
  }

  State state() {
    return state;
  }

  boolean live() {
    return state != State.STOPPED;
  }

  ExecStarted started() {
    return started;
  }

  void running(ExecStarted s) {
    if (state != State.CREATING) {
      throw CorralException.failedPrecondition("process %s: is %s, not creating", id(), state);
    }
    state = State.RUNNING;
    started = s;
  }

  void stopped(int code, Instant at, String why) {
    if (state != State.RUNNING) {
      throw CorralException.failedPrecondition("process %s: is %s, not running", id(), state);
    }
    state = State.STOPPED;
    exitCode = code;
    exitedAt = at;
    reason = why;
  }

  Reply<ProcessView> takeStartReply() {
    Reply<ProcessView> r = startReply;
    startReply = null;
    return r;
  }

  void deferExit(ExitTask t) {
    pendingExit = t;
  }

  ExitTask takePendingExit() {
    ExitTask t = pendingExit;
    pendingExit = null;
    return t;
  }

  void addWaiter(Reply<ExitView> r) {
    waiters.add(r);
  }

  void answerWaiters() {
    waiters.forEach(w -> w.complete(exitView()));
    waiters.clear();
  }

  ExitView exitView() {
    return new ExitView(exitCode, Timestamps.format(exitedAt), false, reason);
  }

  ProcessView view() {
    String status = state.name().toLowerCase(java.util.Locale.ROOT);
    return new ProcessView(
        id(),
        state == State.RUNNING ? started.pid() : 0,
        status,
        request.process().args(),
        request.process().terminal(),
        state == State.STOPPED ? exitCode : null,
        Timestamps.format(exitedAt));
  }
}
