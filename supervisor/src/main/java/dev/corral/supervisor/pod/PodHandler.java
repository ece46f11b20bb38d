package dev.corral.supervisor.pod;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.core.Ids;
import dev.corral.core.Timestamps;
import dev.corral.runtime.Created;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.lifecycle.DeleteHandler;
import dev.corral.supervisor.lifecycle.StartHandler;
import dev.corral.supervisor.model.Cgroups;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerMonitor;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.restart.StopHandler;
import dev.corral.supervisor.signal.SignalHandler;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.CreatePodTask;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.DeletePodTask;
import dev.corral.supervisor.task.DeleteTask;
import dev.corral.supervisor.task.ListPodsTask;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.PodPart;
import dev.corral.supervisor.task.PodRequest;
import dev.corral.supervisor.task.PodStatusTask;
import dev.corral.supervisor.task.PodStatusView;
import dev.corral.supervisor.task.PodWaitsExpireTask;
import dev.corral.supervisor.task.ProcessRequest;
import dev.corral.supervisor.task.RestartPolicy;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.task.StopTask;
import dev.corral.supervisor.thread.Delays;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods: a sandbox container running {@code catatonit -P} whose network, IPC and UTS namespaces the
 * pod's containers join, grouped and reported the way a node agent reads them, with a status cache
 * that answers "newer than" without polling.
 *
 * <p>A pod is its sandbox container plus labels: the sandbox ({@code pod-UID}) carries the pod's
 * uid, name, namespace and host name as labels, so a pod survives a daemon restart with nothing
 * written but its containers' records ({@link #recovered}). Every container of a pod carries the
 * kubelet's labels ({@code io.kubernetes.pod.uid}, ...); listing groups by them, so containers made
 * by another client with those labels alone are grouped too.
 *
 * <p>The loop keeps each pod's status current: an event of a pod's container (which names the pod,
 * see {@link EventLog#attach}) marks the pod changed, and at the end of the batch its status is
 * composed again from the table and put in the {@link PodStatusCache}, which answers the requests
 * waiting on it. No runc call or file read serves a status.
 *
 * <p>Deleting a pod is driven by the loop too, with no thread waiting: each container is stopped
 * (TERM, a grace, KILL) and deleted through the same handlers a client's requests reach, each
 * step's reply starting the next at the end of the batch (never inside the handler that answered
 * it); then the sandbox goes, then the pod's cgroup.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class PodHandler implements ContainerMonitor {
  private static final Logger log = LoggerFactory.getLogger(PodHandler.class);

  /** The kubelet's labels on a pod's containers. */
  public static final String UID_LABEL = ContainerTable.POD_UID_LABEL;

  public static final String NAME_LABEL = "io.kubernetes.pod.name";
  public static final String NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
  public static final String CONTAINER_LABEL = "io.kubernetes.container.name";

  /** Marks a pod's sandbox; with the pod's host name. */
  public static final String SANDBOX_LABEL = "io.corral.pod.sandbox";

  public static final String HOSTNAME_LABEL = "io.corral.pod.hostname";

  /** The kubelet's container name for a pod's infra container. */
  private static final String SANDBOX_NAME = "POD";

  /** How long a pod's containers get between TERM and KILL when it is deleted. */
  static final int DELETE_GRACE_SECONDS = 10;

  private final LoopGuard guard;
  private final ContainerTable table;
  private final EventLog events;
  private final Parts parts;
  private final PodStatusCache<PodStatusView> cache;
  private final Map<String, Pod> pods = new TreeMap<>(); // loop thread; by key()
  private final Set<String> changed = new HashSet<>(); // loop thread; keys, until end of batch
  private long expiryAt = Long.MAX_VALUE; // loop thread; nanoTime of the scheduled expiry
  // Loop thread: steps to run at the end of the batch, outside the handler whose reply or
  // monitor call asked for them (an exit's handler still has work to do after its monitors).
  private final java.util.ArrayDeque<Runnable> later = new java.util.ArrayDeque<>();

  /**
   * What the pod handler drives: the handlers a client's requests reach, the timer, where the timer
   * publishes, the sandbox's root filesystem and the cgroup parent.
   */
  public record Parts(
      StartHandler starts,
      StopHandler stops,
      DeleteHandler deletes,
      SignalHandler signals,
      Delays delays,
      Notifier notifier,
      Path sandboxRootfs,
      String cgroupParent) {}

  public PodHandler(LoopGuard guard, ContainerTable table, EventLog events, Parts parts) {
    this.guard = guard;
    this.table = table;
    this.events = events;
    this.parts = parts;
    this.cache = new PodStatusCache<>(guard);
  }

  /** One pod made through this daemon. Loop thread only. */
  private static final class Pod {
    final String namespace;
    final String uid;
    final String name;
    final String podNamespace;
    State state; // loop thread
    Reply<PodStatusView> createReply; // loop thread; until the sandbox runs or fails
    final List<Reply<Void>> deleteReplies = new ArrayList<>(); // loop thread
    int deleting; // loop thread: containers whose removal is still under way

    Pod(String namespace, String uid, String name, String podNamespace, State state) {
      this.namespace = namespace;
      this.uid = uid;
      this.name = name;
      this.podNamespace = podNamespace;
      this.state = state;
    }

    ContainerRef sandbox() {
      return sandboxRef(namespace, uid);
    }
  }

  private enum State {
    CREATING,
    READY,
    NOTREADY,
    DELETING
  }

  private static String key(String namespace, String uid) {
    return namespace + "/" + uid;
  }

  /** The sandbox container of pod {@code uid}: {@code pod-UID} in the pod's corral namespace. */
  public static ContainerRef sandboxRef(String namespace, String uid) {
    return new ContainerRef(namespace, Cgroups.POD_PREFIX + uid);
  }

  /** The pod uid of a container, from its labels; null for a container of no pod. */
  public String podOf(ContainerRef id) {
    assert guard.inLoop();
    Container c = table.get(id);
    return c == null ? null : c.meta().labels().get(UID_LABEL);
  }

  /** How many pods namespace {@code ns} holds (made here, or grouped from labels). */
  public int count(String ns) {
    assert guard.inLoop();
    Set<String> uids = table.podUids(ns);
    pods.values().stream().filter(p -> p.namespace.equals(ns)).forEach(p -> uids.add(p.uid));
    return uids.size();
  }

  // ---- create

  public void create(CreatePodTask t) {
    assert guard.inLoop();
    PodRequest r = t.request();
    String key = key(r.namespace(), r.uid());
    ContainerRef sandbox = sandboxRef(r.namespace(), r.uid());
    if (pods.containsKey(key) || table.get(sandbox) != null) {
      throw CorralException.alreadyExists("pod %s: already exists", r.uid());
    }
    Map<String, String> labels = new LinkedHashMap<>(r.labels());
    labels.putAll(kubeletLabels(r.uid(), r.name(), r.podNamespace(), SANDBOX_NAME));
    labels.put(SANDBOX_LABEL, "true");
    labels.put(HOSTNAME_LABEL, r.hostname());
    CreateRequest req =
        new CreateRequest(
                sandbox,
                null,
                labels,
                false,
                false,
                List.of(),
                parts.sandboxRootfs(),
                ProcessRequest.of(dev.corral.runtime.PodSpecs.SANDBOX_ARGS),
                null,
                null)
            .inPod(new PodPart.Sandbox(r.uid(), r.hostname(), parts.sandboxRootfs()), Map.of());
    Pod pod = new Pod(r.namespace(), r.uid(), r.name(), r.podNamespace(), State.CREATING);
    pod.createReply = t.reply();
    Reply<ContainerView> started = new Reply<>();
    pods.put(key, pod);
    try {
      parts.starts().start(new StartTask(req, RestartPolicy.NO, started));
    } catch (RuntimeException e) {
      pods.remove(key);
      throw e;
    }
    events.emitPod(EventType.POD_CREATE, pod.namespace, pod.uid, null);
    started.whenDone(Runnable::run, (v, error) -> sandboxStarted(key, error));
  }

  /** The sandbox's start is answered (on the loop, from its reply). */
  private void sandboxStarted(String key, CorralException error) {
    assert guard.inLoop();
    Pod pod = pods.get(key);
    if (pod == null) {
      return;
    }
    Reply<PodStatusView> reply = pod.createReply;
    pod.createReply = null;
    if (error != null) {
      pods.remove(key);
      events.emitPod(EventType.POD_DELETE, pod.namespace, pod.uid, "sandbox failed to start");
      removeCgroup(pod);
      reply.fail(CorralException.wrap(error, "pod " + pod.uid + ": sandbox"));
      return;
    }
    if (pod.state == State.CREATING) {
      pod.state = State.READY;
      events.emitPod(EventType.POD_READY, pod.namespace, pod.uid, null);
    }
    PodStatusView status = compose(pod.namespace, pod.uid, true);
    long stamp = cache.put(key, status);
    reply.complete(status.at(Timestamps.formatNanos(served(stamp))));
  }

  // ---- containers joining a pod

  /**
   * A create naming a pod: refused unless the pod is ready and the name is free in it; else the
   * request joins the sandbox's namespaces, with the kubelet's labels. Any other create as it is.
   */
  public StartTask prepare(StartTask t) {
    assert guard.inLoop();
    if (!(t.request().pod() instanceof PodPart.Join join)) {
      return t;
    }
    String ns = t.request().id().namespace();
    Pod pod = pods.get(key(ns, join.uid()));
    if (pod == null) {
      throw CorralException.notFound("pod %s: not found", join.uid());
    }
    if (pod.state != State.READY) {
      throw CorralException.failedPrecondition(
          "pod %s: is %s, not ready",
          join.uid(), pod.state.name().toLowerCase(java.util.Locale.ROOT));
    }
    for (Container c : members(ns, join.uid())) {
      if (join.name().equals(c.meta().labels().get(CONTAINER_LABEL))) {
        throw CorralException.alreadyExists(
            "pod %s: a container named %s exists (%s)", join.uid(), join.name(), c.id());
      }
    }
    Container sandbox = table.get(pod.sandbox());
    Created s = sandbox == null ? null : sandbox.created();
    if (s == null || sandbox.status() != ContainerStatus.RUNNING) {
      throw CorralException.failedPrecondition("pod %s: its sandbox is not running", join.uid());
    }
    PodPart member = new PodPart.Member(join.uid(), join.name(), s.initPid(), s.initStartTime());
    CreateRequest req =
        t.request().inPod(member, kubeletLabels(pod.uid, pod.name, pod.podNamespace, join.name()));
    return new StartTask(req, t.restartPolicy(), t.reply());
  }

  /**
   * A client's delete of a pod's sandbox as a container is refused while the pod is there: its
   * containers would be left in namespaces nothing holds. The pod's own delete goes through.
   */
  public DeleteTask guard(DeleteTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    Pod pod = c == null ? null : podOfSandbox(c);
    if (pod != null && pod.state != State.DELETING) {
      throw CorralException.failedPrecondition(
          "container %s: is the sandbox of pod %s; delete the pod", t.id(), pod.uid);
    }
    return t;
  }

  private static Map<String, String> kubeletLabels(
      String uid, String name, String podNamespace, String container) {
    return Map.of(
        UID_LABEL,
        uid,
        NAME_LABEL,
        name,
        NAMESPACE_LABEL,
        podNamespace,
        CONTAINER_LABEL,
        container);
  }

  // ---- the monitor: the sandbox's life

  @Override
  public void started(Container c) {}

  @Override
  public void exited(Container c) {
    assert guard.inLoop();
    Pod pod = podOfSandbox(c);
    if (pod == null || pod.state != State.READY) {
      return;
    }
    pod.state = State.NOTREADY;
    log.warn("pod {}: its sandbox exited; killing its containers", pod.uid);
    events.emitPod(EventType.POD_NOTREADY, pod.namespace, pod.uid, "sandbox exited");
    later.add(() -> killMembers(pod));
  }

  private void killMembers(Pod pod) {
    for (Container m : members(pod.namespace, pod.uid)) {
      if (m.live()) {
        try {
          // A user's signal in effect: a container cut off from its pod is not restarted.
          parts.signals().signal(new SignalTask(m.ref(), Ids.INIT, 9, true, true, new Reply<>()));
        } catch (CorralException e) {
          log.info("pod {}: killing {}: {}", pod.uid, m.id(), e.getMessage());
        }
      }
    }
  }

  /** A sandbox found at daemon start brings its pod back: ready while it runs. */
  @Override
  public void recovered(Container c) {
    assert guard.inLoop();
    Map<String, String> l = c.meta().labels();
    String uid = l.get(UID_LABEL);
    if (!"true".equals(l.get(SANDBOX_LABEL)) || uid == null || !Ids.isValid(uid)) {
      return;
    }
    State state = c.status() == ContainerStatus.RUNNING ? State.READY : State.NOTREADY;
    String name = l.getOrDefault(NAME_LABEL, uid);
    String podNs = l.getOrDefault(NAMESPACE_LABEL, "default");
    pods.put(key(c.namespace(), uid), new Pod(c.namespace(), uid, name, podNs, state));
    changed.add(key(c.namespace(), uid));
  }

  private Pod podOfSandbox(Container c) {
    if (!"true".equals(c.meta().labels().get(SANDBOX_LABEL))) {
      return null;
    }
    Pod pod = pods.get(key(c.namespace(), c.meta().labels().getOrDefault(UID_LABEL, "")));
    return pod != null && pod.sandbox().equals(c.ref()) ? pod : null;
  }

  // ---- the status cache

  /** Told of every event as it is recorded: one of a pod's marks the pod changed. */
  public void recorded(Event e) {
    if (e.pod() != null && e.namespace() != null) {
      changed.add(key(e.namespace(), e.pod()));
    }
  }

  /**
   * End of a ring batch: every pod changed in it has its status composed again and put in the
   * cache, which answers the requests it is now newer for.
   */
  public void endOfBatch() {
    assert guard.inLoop();
    for (Runnable step; (step = later.poll()) != null; ) {
      try {
        step.run();
      } catch (RuntimeException e) {
        log.error("pod step failed", e);
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    for (String key : changed) {
      int slash = key.indexOf('/');
      PodStatusView s = compose(key.substring(0, slash), key.substring(slash + 1), true);
      if (s == null) {
        cache.remove(key);
      } else {
        cache.put(key, s);
      }
    }
    changed.clear();
  }

  /** All recovered pods' statuses are current: the global timestamp moves to now. */
  public void recoveryDone() {
    assert guard.inLoop();
    endOfBatch();
    cache.tick(Timestamps.toNanos(java.time.Instant.now()));
  }

  public void status(PodStatusTask t) {
    assert guard.inLoop();
    String key = key(t.namespace(), t.uid());
    if (cache.get(key) == null) {
      PodStatusView s = compose(t.namespace(), t.uid(), true);
      if (s == null) {
        throw CorralException.notFound("pod %s: not found", t.uid());
      }
      cache.put(key, s);
    }
    if (t.newerThan() == null) {
      var now = cache.get(key);
      t.reply()
          .complete(Optional.of(now.status().at(Timestamps.formatNanos(served(now.timestamp())))));
      return;
    }
    long deadline = System.nanoTime() + t.timeout().toNanos();
    cache.await(
        key,
        t.newerThan(),
        deadline,
        a -> {
          switch (a.outcome()) {
            case NEWER ->
                t.reply()
                    .complete(Optional.of(a.status().at(Timestamps.formatNanos(a.timestamp()))));
            case NOT_MODIFIED -> t.reply().complete(Optional.empty());
            case GONE -> t.reply().fail(CorralException.notFound("pod %s: not found", t.uid()));
          }
        });
    scheduleExpiry();
  }

  /** The timer's turn: the waits past their deadline are answered, the next one scheduled. */
  public void expire(PodWaitsExpireTask t) {
    assert guard.inLoop();
    expiryAt = Long.MAX_VALUE;
    cache.expire(System.nanoTime());
    scheduleExpiry();
  }

  private void scheduleExpiry() {
    OptionalLong next = cache.nextDeadline();
    if (next.isEmpty() || next.getAsLong() >= expiryAt) {
      return;
    }
    expiryAt = next.getAsLong();
    long in = Math.max(0, expiryAt - System.nanoTime());
    parts
        .delays()
        .after(Duration.ofNanos(in), () -> parts.notifier().publish(new PodWaitsExpireTask()));
  }

  /** The timestamp a status is served with: its stamp, or the global timestamp when later. */
  private long served(long stamp) {
    return Math.max(stamp, cache.globalTimestamp());
  }

  // ---- listing

  public void list(ListPodsTask t) {
    assert guard.inLoop();
    List<PodStatusView> out = new ArrayList<>();
    for (String uid : table.podUids(t.namespace())) {
      String key = key(t.namespace(), uid);
      if (cache.get(key) == null) {
        cache.put(key, compose(t.namespace(), uid, true)); // stamped from now on
      }
      PodStatusView s = compose(t.namespace(), uid, t.all());
      if (s != null && (s.sandbox() != null || !s.containers().isEmpty())) {
        out.add(s.at(stampOf(key)));
      }
    }
    t.reply().complete(out);
  }

  private String stampOf(String key) {
    var s = cache.get(key);
    return s == null ? null : Timestamps.formatNanos(served(s.timestamp()));
  }

  /**
   * The status of pod {@code uid} from the table: its sandbox and its other containers ({@code
   * all}: every one; else running ones only, and a sandbox only while it runs). Null when the
   * daemon knows neither the pod nor a container of it.
   */
  PodStatusView compose(String ns, String uid, boolean all) {
    Pod pod = pods.get(key(ns, uid));
    Container sandbox = null;
    List<Container> members = new ArrayList<>();
    for (Container c : table.inPod(ns, uid)) {
      if ("true".equals(c.meta().labels().get(SANDBOX_LABEL))) {
        sandbox = c;
      } else if (all || c.status() == ContainerStatus.RUNNING) {
        members.add(c);
      }
    }
    if (pod == null && sandbox == null && members.isEmpty()) {
      return null;
    }
    Map<String, String> labels = sandbox != null ? sandbox.meta().labels() : labelsOf(members);
    String name = pod != null ? pod.name : labels.getOrDefault(NAME_LABEL, uid);
    String podNs = pod != null ? pod.podNamespace : labels.getOrDefault(NAMESPACE_LABEL, "default");
    PodStatusView.Sandbox sb = null;
    if (sandbox != null && (all || sandbox.status() == ContainerStatus.RUNNING)) {
      boolean ready =
          sandbox.status() == ContainerStatus.RUNNING && (pod == null || pod.state == State.READY);
      ContainerView v = sandbox.view();
      sb =
          new PodStatusView.Sandbox(
              sandbox.id(), ready ? "ready" : "notready", v.pid(), v.createdAt());
    }
    members.sort(
        Comparator.comparing(c -> c.meta().labels().getOrDefault(CONTAINER_LABEL, c.id())));
    List<PodStatusView.Member> views = new ArrayList<>();
    for (Container c : members) {
      ContainerView v = c.view();
      views.add(
          new PodStatusView.Member(
              c.id(),
              c.meta().labels().getOrDefault(CONTAINER_LABEL, c.id()),
              criState(c.status()),
              v.createdAt(),
              v.startedAt(),
              v.exitedAt(),
              v.exitCode(),
              v.reason(),
              v.restartCount()));
    }
    return new PodStatusView(uid, name, podNs, name + "_" + podNs, sb, views, null);
  }

  private static Map<String, String> labelsOf(List<Container> members) {
    return members.isEmpty() ? Map.of() : members.get(0).meta().labels();
  }

  private static String criState(ContainerStatus s) {
    return switch (s) {
      case CREATING -> "created";
      case RUNNING, PAUSED -> "running";
      case STOPPED -> "exited";
      default -> "unknown";
    };
  }

  private List<Container> members(String ns, String uid) {
    List<Container> out = new ArrayList<>();
    for (Container c : table.inPod(ns, uid)) {
      if (!"true".equals(c.meta().labels().get(SANDBOX_LABEL))) {
        out.add(c);
      }
    }
    return out;
  }

  // ---- delete

  public void delete(DeletePodTask t) {
    assert guard.inLoop();
    String key = key(t.namespace(), t.uid());
    Pod pod = pods.get(key);
    if (pod == null) {
      throw CorralException.notFound("pod %s: not found", t.uid());
    }
    if (pod.state == State.CREATING) {
      throw CorralException.failedPrecondition("pod %s: is being created", t.uid());
    }
    pod.deleteReplies.add(t.reply());
    if (pod.state == State.DELETING) {
      return; // the removal under way answers this one too
    }
    pod.state = State.DELETING;
    changed.add(key);
    List<Container> members = members(pod.namespace, pod.uid);
    pod.deleting = members.size();
    if (members.isEmpty()) {
      removeSandbox(pod);
      return;
    }
    int grace = t.force() ? 0 : DELETE_GRACE_SECONDS;
    for (Container m : members) {
      stopThenDelete(pod, m.ref(), grace, () -> memberGone(key));
    }
  }

  /** Stops a running container (TERM, grace, KILL), then deletes it; {@code then} either way. */
  private void stopThenDelete(Pod pod, ContainerRef id, int grace, Runnable then) {
    Container c = table.get(id);
    if (c == null) {
      then.run();
      return;
    }
    if (c.live()) {
      Reply<ContainerView> stopped = new Reply<>();
      try {
        parts.stops().stop(new StopTask(id, grace, stopped));
        stopped.whenDone(Runnable::run, (v, e) -> later.add(() -> deleteNow(pod, id, then)));
        return;
      } catch (CorralException e) {
        log.info("pod {}: stopping {}: {}", pod.uid, id.id(), e.getMessage());
      }
    }
    deleteNow(pod, id, then);
  }

  private void deleteNow(Pod pod, ContainerRef id, Runnable then) {
    if (table.get(id) == null) {
      then.run();
      return;
    }
    Reply<Void> deleted = new Reply<>();
    try {
      parts.deletes().delete(new DeleteTask(id, true, deleted));
    } catch (CorralException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) {
        then.run();
      } else {
        failDelete(pod, e);
      }
      return;
    }
    deleted.whenDone(
        Runnable::run,
        (v, e) ->
            later.add(
                () -> {
                  if (e == null || e.kind() == ErrorKind.NOT_FOUND) {
                    then.run();
                  } else {
                    failDelete(pod, e);
                  }
                }));
  }

  /**
   * rmdir of the pod's cgroup (empty once its containers' are gone); on the loop, as it is tiny.
   */
  private void removeCgroup(Pod pod) {
    String path = Cgroups.pod(parts.cgroupParent(), pod.namespace, pod.uid);
    if (!Cgroups.removeEmpty(path)) {
      log.warn("pod {}: cgroup {} still holds something; left in place", pod.uid, path);
    }
  }

  private void memberGone(String key) {
    Pod pod = pods.get(key);
    if (pod != null && pod.state == State.DELETING && --pod.deleting == 0) {
      removeSandbox(pod);
    }
  }

  private void removeSandbox(Pod pod) {
    deleteNow(pod, pod.sandbox(), () -> podGone(pod));
  }

  private void podGone(Pod pod) {
    String key = key(pod.namespace, pod.uid);
    pods.remove(key);
    changed.remove(key);
    cache.remove(key);
    removeCgroup(pod);
    events.emitPod(EventType.POD_DELETE, pod.namespace, pod.uid, null);
    log.info("pod {}: deleted", pod.uid);
    pod.deleteReplies.forEach(r -> r.complete(null));
    pod.deleteReplies.clear();
  }

  /**
   * A step failed: the delete is answered with it, the pod stays (not ready) to be deleted again.
   */
  private void failDelete(Pod pod, CorralException e) {
    if (pod.state != State.DELETING) {
      return;
    }
    pod.state = State.NOTREADY;
    changed.add(key(pod.namespace, pod.uid));
    CorralException error = CorralException.wrap(e, "pod " + pod.uid + ": delete");
    pod.deleteReplies.forEach(r -> r.fail(error));
    pod.deleteReplies.clear();
  }
}
