package dev.corral.supervisor.model;

import dev.corral.core.CorralException;
import dev.corral.core.Timestamps;
import dev.corral.runtime.Created;
import dev.corral.state.ContainerRecord;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.task.CheckpointView;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.ExitView;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.thread.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container as the supervisor holds it: immutable metadata plus the mutable status, and the
 * replies waiting on it. Its moves refuse illegal transitions with a precise message.
 *
 * <p>Confined to the supervisor loop thread: every field below is read and written there only.
 */
public final class Container {
  private final ContainerRecord meta;
  private ContainerStatus status = ContainerStatus.CREATING; // loop thread
  private Created created; // loop thread; set when running
  private Instant startedAt; // loop thread
  private int exitCode = -1; // loop thread
  private Instant exitedAt; // loop thread
  private String reason; // loop thread
  private boolean deleting; // loop thread
  private boolean oomKilled; // loop thread: an OOM kill was reported while it lived
  private Reply<ContainerView> startReply; // loop thread; null once answered
  private final List<Reply<ExitView>> waiters = new ArrayList<>(); // loop thread
  private final List<Reply<Void>> deleteReplies = new ArrayList<>(); // loop thread
  private Reply<ContainerView> updateReply; // loop thread; the update in flight, else null
  private final Map<String, ExecProcess> execs = new LinkedHashMap<>(); // loop thread
  private Reply<CheckpointView> checkpointReply; // loop thread; the checkpoint in flight

  public Container(ContainerRecord meta, Reply<ContainerView> startReply) {
    this.meta = meta;
    this.startReply = startReply;
  }

  /** A container found in --root at start: running, stopped with its exit, or unknown. */
  public static Container recovered(RecoveredContainer r) {
    Container c = new Container(r.meta(), null);
    c.running(r.created(), r.startedAt());
    if (r.unknown()) {
      c.status = ContainerStatus.UNKNOWN;
      return c;
    }
    if (r.exit() != null) {
      c.stopped(r.exit().code(), r.exit().at(), r.exit().reason());
    } else if (r.paused()) {
      c.paused();
    }
    return c;
  }

  public String id() {
    return meta.id();
  }

  public ContainerRecord meta() {
    return meta;
  }

  public ContainerStatus status() {
    return status;
  }

  public boolean deleting() {
    return deleting;
  }

  /** creating → running. */
  public void running(Created c, Instant at) {
    require(ContainerStatus.CREATING, "start");
    status = ContainerStatus.RUNNING;
    created = c;
    startedAt = at;
  }

  /** running or paused → stopped. */
  public void stopped(int code, Instant at, String why) {
    if (status != ContainerStatus.PAUSED) {
      require(ContainerStatus.RUNNING, "record an exit for");
    }
    status = ContainerStatus.STOPPED;
    exitCode = code;
    exitedAt = at;
    reason = why;
  }

  /** running → paused. */
  public void paused() {
    if (status == ContainerStatus.PAUSED) {
      throw CorralException.failedPrecondition("container %s: is already paused", id());
    }
    require(ContainerStatus.RUNNING, "pause");
    status = ContainerStatus.PAUSED;
  }

  /** paused → running. */
  public void resumed() {
    if (status == ContainerStatus.RUNNING) {
      throw CorralException.failedPrecondition("container %s: is running, not paused", id());
    }
    require(ContainerStatus.PAUSED, "resume");
    status = ContainerStatus.RUNNING;
  }

  /** Whether the init is alive: running or paused. */
  public boolean live() {
    return status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED;
  }

  /** The container's execs by id, in start order; stopped ones stay until the delete. */
  public Map<String, ExecProcess> execs() {
    return execs;
  }

  /** The init's pid while it is alive, else 0. */
  public int initPid() {
    return live() ? created.initPid() : 0;
  }

  /** Claims the one checkpoint slot; a second checkpoint while one runs is refused. */
  public void beginCheckpoint(Reply<CheckpointView> reply) {
    if (checkpointReply != null) {
      throw CorralException.failedPrecondition(
          "container %s: another checkpoint is in progress", id());
    }
    checkpointReply = reply;
  }

  public Reply<CheckpointView> takeCheckpointReply() {
    Reply<CheckpointView> r = checkpointReply;
    checkpointReply = null;
    return r;
  }

  /** Claims the one update slot; a second update while one is in flight is refused. */
  public void beginUpdate(Reply<ContainerView> reply) {
    if (updateReply != null) {
      throw CorralException.failedPrecondition(
          "container %s: another pause, resume or update is in progress", id());
    }
    updateReply = reply;
  }

  public Reply<ContainerView> takeUpdateReply() {
    Reply<ContainerView> r = updateReply;
    updateReply = null;
    return r;
  }

  private void require(ContainerStatus expected, String verb) {
    if (status != expected) {
      throw CorralException.failedPrecondition(
          "container %s: cannot %s it while %s", id(), verb, status.wireName());
    }
  }

  /** Records an OOM kill; false when one was recorded already. */
  public boolean markOomKilled() {
    boolean first = !oomKilled;
    oomKilled = true;
    return first;
  }

  public boolean oomKilled() {
    return oomKilled;
  }

  public void markDeleting(Reply<Void> reply) {
    deleting = true;
    deleteReplies.add(reply);
  }

  public void addDeleteReply(Reply<Void> reply) {
    deleteReplies.add(reply);
  }

  /** Answers every delete waiter; success when {@code error} is null. Ends the deleting mark. */
  public void finishDelete(CorralException error) {
    deleting = false;
    for (Reply<Void> r : deleteReplies) {
      if (error == null) {
        r.complete(null);
      } else {
        r.fail(error);
      }
    }
    deleteReplies.clear();
  }

  public void addWaiter(Reply<ExitView> r) {
    waiters.add(r);
  }

  public void answerWaiters() {
    ExitView v = exitView();
    waiters.forEach(w -> w.complete(v));
    waiters.clear();
  }

  public void failWaiters(CorralException e) {
    waiters.forEach(w -> w.fail(e));
    waiters.clear();
  }

  public Reply<ContainerView> takeStartReply() {
    Reply<ContainerView> r = startReply;
    startReply = null;
    return r;
  }

  public ExitView exitView() {
    return new ExitView(exitCode, Timestamps.format(exitedAt), oomKilled, reason);
  }

  public ContainerView view() {
    boolean stopped = status == ContainerStatus.STOPPED;
    return new ContainerView(
        id(),
        meta.bundle(),
        status.wireName(),
        live() || status == ContainerStatus.UNKNOWN ? created.initPid() : 0,
        meta.labels(),
        meta.createdAt(),
        Timestamps.format(startedAt),
        stopped ? exitCode : null,
        Timestamps.format(exitedAt),
        reason);
  }

  public StatusRecord statusRecord() {
    return new StatusRecord(
        status.wireName(),
        created == null ? 0 : created.initPid(),
        created == null ? 0 : created.conmonPid(),
        created == null ? 0 : created.conmonStartTime(),
        Timestamps.format(startedAt),
        exitCode,
        Timestamps.format(exitedAt),
        reason);
  }
}
