package dev.corral.supervisor.model;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.core.Timestamps;
import dev.corral.runtime.Created;
import dev.corral.state.ContainerRecord;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.task.CheckpointView;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.ExitView;
import dev.corral.supervisor.task.ProcessView;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.task.ResourceChange;
import dev.corral.supervisor.task.ResourcesView;
import dev.corral.supervisor.task.SpecView;
import dev.corral.supervisor.thread.LoopGuard;
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
 * <p>Confined to the supervisor loop thread: every field below is read and written there only, and
 * every instance method asserts it runs there.
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
  private SpecView spec; // loop thread; null until started, or when its spec was unreadable
  private ResourcesView resources = ResourcesView.NONE; // loop thread; as applied, updates too
  private final RestartState restart = new RestartState(); // loop thread

  public Container(ContainerRecord meta, Reply<ContainerView> startReply) {
    this.meta = meta;
    this.startReply = startReply;
  }

  /** A container found in --root at start: running, stopped with its exit, or unknown. */
  public static Container recovered(RecoveredContainer r) {
    Container c = new Container(r.meta(), null);
    c.running(r.created(), r.startedAt());
    c.spec(r.spec());
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

  /** Its conmon and init as created; null while it is being created. */
  public Created created() {
    return created;
  }

  /** Its id within its namespace. */
  public String id() {
    assert LoopGuard.onALoopThread();
    return meta.id();
  }

  public ContainerRef ref() {
    assert LoopGuard.onALoopThread();
    return meta.ref();
  }

  /** Its cgroup, absolute as runc's cgroupsPath. */
  public String cgroupsPath() {
    assert LoopGuard.onALoopThread();
    return meta.cgroupsPath();
  }

  public String namespace() {
    assert LoopGuard.onALoopThread();
    return meta.namespace();
  }

  public ContainerRecord meta() {
    assert LoopGuard.onALoopThread();
    return meta;
  }

  public ContainerStatus status() {
    assert LoopGuard.onALoopThread();
    return status;
  }

  public boolean deleting() {
    assert LoopGuard.onALoopThread();
    return deleting;
  }

  /** creating → running. */
  public void running(Created c, Instant at) {
    assert LoopGuard.onALoopThread();
    require(ContainerStatus.CREATING, "start");
    status = ContainerStatus.RUNNING;
    created = c;
    startedAt = at;
  }

  /** What its inspect shows of its spec; its resources are the ones applied from now on. */
  public void spec(SpecView s) {
    assert LoopGuard.onALoopThread();
    spec = s;
    resources = s == null ? ResourcesView.NONE : s.resources();
  }

  /** A {@code runc update} succeeded: its limits are the ones applied now. */
  public void resourcesChanged(ResourceChange change) {
    assert LoopGuard.onALoopThread();
    resources = resources.with(change);
  }

  /** Its restart policy and where its restarts stand. */
  public RestartState restart() {
    assert LoopGuard.onALoopThread();
    return restart;
  }

  /** stopped → creating: a new run of the same container is being made (by a start or restart). */
  public void restarting() {
    assert LoopGuard.onALoopThread();
    require(ContainerStatus.STOPPED, "start");
    status = ContainerStatus.CREATING;
    // Now, not when the new run is running: an OOM kill of the new run may come in between (the
    // OOM handler marks it while the container is creating).
    oomKilled = false;
  }

  /** creating → stopped: a new run failed to start; the last exit stands. */
  public void restartFailed() {
    assert LoopGuard.onALoopThread();
    require(ContainerStatus.CREATING, "roll back a start of");
    status = ContainerStatus.STOPPED;
  }

  /** creating → running for a new run: the last run's exit, OOM mark and execs are gone. */
  public void restarted(Created c, Instant at) {
    assert LoopGuard.onALoopThread();
    running(c, at);
    exitCode = -1;
    exitedAt = null;
    reason = null;
    execs.clear();
  }

  /** When the init last exited; null while the first run lives. */
  public Instant exitedAt() {
    assert LoopGuard.onALoopThread();
    return exitedAt;
  }

  /** When the init last started running; null before it did. */
  public Instant startedAt() {
    assert LoopGuard.onALoopThread();
    return startedAt;
  }

  /** running or paused → stopped. */
  public void stopped(int code, Instant at, String why) {
    assert LoopGuard.onALoopThread();
    if (status != ContainerStatus.PAUSED) {
      require(ContainerStatus.RUNNING, "record an exit for");
    }
    status = ContainerStatus.STOPPED;
    exitCode = code;
    // startedAt is read once runc start has returned, after the process began; an exit seen
    // before then, or dated by the exit file's mtime (the kernel's coarse clock), reads earlier.
    // An exit cannot come before its start: it is dated no earlier than startedAt.
    exitedAt = at != null && startedAt != null && at.isBefore(startedAt) ? startedAt : at;
    reason = why;
  }

  /** running → paused. */
  public void paused() {
    assert LoopGuard.onALoopThread();
    if (status == ContainerStatus.PAUSED) {
      throw CorralException.failedPrecondition("container %s: is already paused", id());
    }
    require(ContainerStatus.RUNNING, "pause");
    status = ContainerStatus.PAUSED;
  }

  /** paused → running. */
  public void resumed() {
    assert LoopGuard.onALoopThread();
    if (status == ContainerStatus.RUNNING) {
      throw CorralException.failedPrecondition("container %s: is running, not paused", id());
    }
    require(ContainerStatus.PAUSED, "resume");
    status = ContainerStatus.RUNNING;
  }

  /** Whether the init is alive: running or paused. */
  public boolean live() {
    assert LoopGuard.onALoopThread();
    return status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED;
  }

  /** The container's execs by id, in start order; stopped ones stay until the delete. */
  public Map<String, ExecProcess> execs() {
    assert LoopGuard.onALoopThread();
    return execs;
  }

  /** The init's pid while it is alive, else 0. */
  public int initPid() {
    assert LoopGuard.onALoopThread();
    return live() ? created.initPid() : 0;
  }

  /** Claims the one checkpoint slot; a second checkpoint while one runs is refused. */
  public void beginCheckpoint(Reply<CheckpointView> reply) {
    assert LoopGuard.onALoopThread();
    if (checkpointReply != null) {
      throw CorralException.failedPrecondition(
          "container %s: another checkpoint is in progress", id());
    }
    checkpointReply = reply;
  }

  public Reply<CheckpointView> takeCheckpointReply() {
    assert LoopGuard.onALoopThread();
    Reply<CheckpointView> r = checkpointReply;
    checkpointReply = null;
    return r;
  }

  /** Claims the one update slot; a second update while one is in flight is refused. */
  public void beginUpdate(Reply<ContainerView> reply) {
    assert LoopGuard.onALoopThread();
    if (updateReply != null) {
      throw CorralException.failedPrecondition(
          "container %s: another pause, resume or update is in progress", id());
    }
    updateReply = reply;
  }

  public Reply<ContainerView> takeUpdateReply() {
    assert LoopGuard.onALoopThread();
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
    assert LoopGuard.onALoopThread();
    boolean first = !oomKilled;
    oomKilled = true;
    return first;
  }

  public boolean oomKilled() {
    assert LoopGuard.onALoopThread();
    return oomKilled;
  }

  public void markDeleting(Reply<Void> reply) {
    assert LoopGuard.onALoopThread();
    deleting = true;
    deleteReplies.add(reply);
  }

  public void addDeleteReply(Reply<Void> reply) {
    assert LoopGuard.onALoopThread();
    deleteReplies.add(reply);
  }

  /** Answers every delete waiter; success when {@code error} is null. Ends the deleting mark. */
  public void finishDelete(CorralException error) {
    assert LoopGuard.onALoopThread();
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
    assert LoopGuard.onALoopThread();
    waiters.add(r);
  }

  public void answerWaiters() {
    assert LoopGuard.onALoopThread();
    ExitView v = exitView();
    waiters.forEach(w -> w.complete(v));
    waiters.clear();
  }

  public void failWaiters(CorralException e) {
    assert LoopGuard.onALoopThread();
    waiters.forEach(w -> w.fail(e));
    waiters.clear();
  }

  public Reply<ContainerView> takeStartReply() {
    assert LoopGuard.onALoopThread();
    Reply<ContainerView> r = startReply;
    startReply = null;
    return r;
  }

  public ExitView exitView() {
    assert LoopGuard.onALoopThread();
    return new ExitView(exitCode, Timestamps.format(exitedAt), oomKilled, reason);
  }

  public ContainerView view() {
    assert LoopGuard.onALoopThread();
    boolean stopped = status == ContainerStatus.STOPPED;
    return new ContainerView(
        id(),
        namespace(),
        meta.bundle(),
        status.wireName(),
        live() || status == ContainerStatus.UNKNOWN ? created.initPid() : 0,
        meta.labels(),
        meta.createdAt(),
        Timestamps.format(startedAt),
        stopped ? exitCode : null,
        Timestamps.format(exitedAt),
        reason,
        meta.bundle() == null && spec != null ? spec.root().path() : null,
        meta.terminal(),
        oomKilled,
        spec == null ? null : spec.process(),
        spec == null ? null : spec.root(),
        resources,
        processes(),
        restart.policy(),
        restart.restartCount());
  }

  /** The init, then the execs in start order. */
  public List<ProcessView> processes() {
    assert LoopGuard.onALoopThread();
    List<ProcessView> out = new ArrayList<>();
    boolean stopped = status == ContainerStatus.STOPPED;
    out.add(
        new ProcessView(
            Ids.INIT,
            initPid(),
            status.wireName(),
            null,
            meta.terminal(),
            stopped ? exitCode : null,
            Timestamps.format(exitedAt)));
    execs.values().forEach(e -> out.add(e.view()));
    return out;
  }

  public StatusRecord statusRecord() {
    assert LoopGuard.onALoopThread();
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
