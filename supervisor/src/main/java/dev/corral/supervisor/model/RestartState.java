package dev.corral.supervisor.model;

import dev.corral.state.RestartRecord;
import dev.corral.supervisor.task.RestartPolicy;
import dev.corral.supervisor.thread.LoopGuard;

/**
 * Where one container's restart policy stands: the policy, the restarts so far, the user's stop
 * mark, the backoff's exponent, and the one restart (or stop deadline) that may be scheduled, named
 * by a token so that a timer firing after a cancel is recognised and dropped.
 *
 * <p>Confined to the supervisor loop thread, like the {@link Container} that holds it.
 */
public final class RestartState {
  private RestartPolicy policy = RestartPolicy.NO; // loop thread
  private int restartCount; // loop thread
  private boolean userStopped; // loop thread
  private int consecutive; // loop thread: restarts in a row without a 10 s run
  private long pending; // loop thread: token of the scheduled restart or restart in flight, or 0
  private long stopping; // loop thread: token of the stop whose grace runs, or 0

  public RestartPolicy policy() {
    assert LoopGuard.onALoopThread();
    return policy;
  }

  public void policy(RestartPolicy p) {
    assert LoopGuard.onALoopThread();
    policy = p;
  }

  public int restartCount() {
    assert LoopGuard.onALoopThread();
    return restartCount;
  }

  public boolean userStopped() {
    assert LoopGuard.onALoopThread();
    return userStopped;
  }

  public int consecutive() {
    assert LoopGuard.onALoopThread();
    return consecutive;
  }

  /** A user stopped it: no restart until the next start, and none that was scheduled. */
  public void stoppedByUser() {
    assert LoopGuard.onALoopThread();
    userStopped = true;
    pending = 0;
  }

  /** The daemon's start runs it again (Docker's rule for always): the user's stop is over. */
  public void restartedAtDaemonStart() {
    assert LoopGuard.onALoopThread();
    userStopped = false;
  }

  /** A user started it: the mark, the count and the backoff begin again. */
  public void startedByUser(long token) {
    assert LoopGuard.onALoopThread();
    userStopped = false;
    restartCount = 0;
    consecutive = 0;
    pending = token;
  }

  /** The last run lasted long enough: the next restart waits only the backoff's floor. */
  public void resetBackoff() {
    assert LoopGuard.onALoopThread();
    consecutive = 0;
  }

  /** A restart is scheduled (or begins at once) under {@code token}. */
  public void schedule(long token) {
    assert LoopGuard.onALoopThread();
    pending = token;
  }

  /** Whether {@code token} names the restart scheduled now. */
  public boolean isPending(long token) {
    assert LoopGuard.onALoopThread();
    return token != 0 && pending == token;
  }

  /** A restart was attempted (whether it worked or not): it counts. */
  public void attempted() {
    assert LoopGuard.onALoopThread();
    restartCount++;
    consecutive++;
    pending = 0;
  }

  /** A user's start finished (ran or failed): nothing is in flight any more. */
  public void settled() {
    assert LoopGuard.onALoopThread();
    pending = 0;
  }

  public void stopping(long token) {
    assert LoopGuard.onALoopThread();
    stopping = token;
  }

  public boolean isStopping(long token) {
    assert LoopGuard.onALoopThread();
    return token != 0 && stopping == token;
  }

  public RestartRecord record() {
    assert LoopGuard.onALoopThread();
    return new RestartRecord(
        policy.name(), policy.maximumRetryCount(), restartCount, userStopped, consecutive);
  }

  /** Restores what {@code restart.json} held; a bad policy there is taken as {@code no}. */
  public void restore(RestartRecord r) {
    assert LoopGuard.onALoopThread();
    try {
      policy = new RestartPolicy(r.policy(), r.maximumRetryCount());
    } catch (RuntimeException e) {
      policy = RestartPolicy.NO;
    }
    restartCount = r.restartCount();
    userStopped = r.userStopped();
    consecutive = r.consecutive();
  }
}
