package dev.corral.supervisor;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ForbiddenPaths;
import dev.corral.metrics.ContainerCgroups;
import dev.corral.metrics.MetricCatalog;
import dev.corral.monitor.ExitSink;
import dev.corral.monitor.OomSink;
import dev.corral.monitor.OomWatch;
import dev.corral.monitor.Watch;
import dev.corral.runtime.Bundles;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.state.RestartFiles;
import dev.corral.state.RestartRecord;
import dev.corral.state.StateDir;
import dev.corral.supervisor.event.EventFilter;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.JournalSink;
import dev.corral.supervisor.event.Start;
import dev.corral.supervisor.event.Subscriber;
import dev.corral.supervisor.loop.EventLoop;
import dev.corral.supervisor.loop.Ring;
import dev.corral.supervisor.loop.Workers;
import dev.corral.supervisor.model.Cgroups;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.recovery.RecoveredWatch;
import dev.corral.supervisor.recovery.Recovery;
import dev.corral.supervisor.restart.Backoff;
import dev.corral.supervisor.task.Command;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.OOMTask;
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.task.RecoveredExec;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.task.SubscribeTask;
import dev.corral.supervisor.task.UnsubscribeTask;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor as the rest of the daemon sees it: a ring to submit commands to, the sink the exit
 * monitor reports into, and event subscriptions. Construct, hand {@link #exitSink()} to the
 * monitor, then {@link #start} with that monitor.
 *
 * <p>Thread-safe: every method may be called from any thread except the loop.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  /**
   * Sizes of the ring, the worker pool and a subscriber's buffer, the cgroup parent every container
   * is created under, how many events are kept for replay, and the restart policy's backoff (its
   * floor, doubled per consecutive restart up to the max).
   */
  public record Config(
      int ringSize,
      int workerThreads,
      int workerQueue,
      int subscriberBuffer,
      String cgroupParent,
      int eventsRetain,
      Duration restartBackoff,
      Duration restartBackoffMax) {
    public static final int DEFAULT_EVENTS_RETAIN = 10_000;
    public static final Config DEFAULTS =
        new Config(4096, 8, 1024, 4096, Bundles.CGROUP_PARENT, DEFAULT_EVENTS_RETAIN);

    public Config {
      Bundles.requireCgroupParent(cgroupParent);
      if (eventsRetain < 1) {
        throw CorralException.invalidArgument(
            "events-retain: must be at least 1, not %d", eventsRetain);
      }
      new Backoff(restartBackoff, restartBackoffMax); // validates both, naming the option
    }

    /** A config with the default restart backoff. */
    public Config(
        int ringSize,
        int workerThreads,
        int workerQueue,
        int subscriberBuffer,
        String cgroupParent,
        int eventsRetain) {
      this(
          ringSize,
          workerThreads,
          workerQueue,
          subscriberBuffer,
          cgroupParent,
          eventsRetain,
          Backoff.DEFAULTS.floor(),
          Backoff.DEFAULTS.max());
    }

    public Config withCgroupParent(String parent) {
      return new Config(
          ringSize,
          workerThreads,
          workerQueue,
          subscriberBuffer,
          parent,
          eventsRetain,
          restartBackoff,
          restartBackoffMax);
    }

    public Config withEventsRetain(int retain) {
      return new Config(
          ringSize,
          workerThreads,
          workerQueue,
          subscriberBuffer,
          cgroupParent,
          retain,
          restartBackoff,
          restartBackoffMax);
    }

    public Config withRestartBackoff(Duration floor, Duration max) {
      return new Config(
          ringSize,
          workerThreads,
          workerQueue,
          subscriberBuffer,
          cgroupParent,
          eventsRetain,
          floor,
          max);
    }
  }

  private final Config config;
  private final ContainerRuntime runtime;
  private final StateDir state;
  private final MetricCatalog metrics;
  private final Clock clock;
  private final ForbiddenPaths forbidden;
  private final LoopGuard guard = new LoopGuard();
  private final Ring ring;
  private final Workers workers;
  private ExitWatcher watcher; // the starting thread: set by start, read by recover
  private final ExecutorService statusThread =
      Executors.newSingleThreadExecutor(r -> daemonThread(r, "corral-state"));
  // Restart backoffs and stop deadlines end here: the task is published, the loop never sleeps.
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "corral-timer"));

  /**
   * @param forbidden the daemon's own directories, which no rootfs, bundle or checkpoint path of a
   *     create may name or resolve into
   */
  public Supervisor(
      Config config,
      ContainerRuntime runtime,
      StateDir state,
      MetricCatalog metrics,
      Clock clock,
      ForbiddenPaths forbidden) {
    this.config = config;
    this.forbidden = forbidden;
    this.runtime = runtime;
    this.state = state;
    this.metrics = metrics;
    this.clock = clock;
    this.ring = new Ring(config.ringSize(), guard, metrics);
    this.workers = new Workers(config.workerThreads(), config.workerQueue());
    metrics.ringRemainingCapacity(ring::remainingCapacity);
    metrics.workerQueueDepth(workers::queueDepth);
    metrics.register(
        new ContainerCgroups(
            metrics::liveContainers, Cgroups.ROOT, workers, Duration.ofSeconds(5)));
  }

  /** Where the monitor reports exits: each becomes an ExitTask on the ring. */
  public ExitSink exitSink() {
    return (w, code, at) -> ring.publish(new ExitTask(w.containerId(), w.processId(), code, at));
  }

  /** Where the monitor reports OOM kills: each becomes an OOMTask, ahead of the exit it caused. */
  public OomSink oomSink() {
    return id -> ring.publish(new OOMTask(id));
  }

  /**
   * Opens the event journal (the seq continues from it), wires the loop to {@code watcher} and
   * starts the loop thread.
   *
   * @throws CorralException internal when the journal cannot be opened
   */
  public void start(ExitWatcher watcher) {
    EventLog events = openEvents();
    this.watcher = watcher;
    ring.start(
        new EventLoop(
            new EventLoop.Parts(
                guard,
                new ContainerTable(guard),
                events,
                new StatusWriter(state, statusThread),
                workers,
                ring,
                watcher,
                runtime,
                state,
                metrics,
                clock,
                config.cgroupParent(),
                this::after,
                new Backoff(config.restartBackoff(), config.restartBackoffMax()))));
  }

  private void after(Duration delay, Runnable action) {
    try {
      timer.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("timer stopped; {} ms action dropped", delay.toMillis());
    }
  }

  private EventLog openEvents() {
    int retain = config.eventsRetain();
    try {
      JournalSink journal = JournalSink.open(state.eventsDir(), retain);
      metrics.unjournaledEvents(journal::unjournaled);
      return new EventLog(
          guard,
          clock,
          journal,
          journal.restored(),
          retain,
          config.subscriberBuffer(),
          n -> metrics.subscribers.set(n));
    } catch (IOException e) {
      throw CorralException.internal(
          e, "events: cannot open the journal in %s: %s", state.eventsDir(), e.getMessage());
    }
  }

  /**
   * Loads every container in the state dir into the table and watches the running ones again; call
   * once, after {@link #start} and before anything is served. The scan runs on the calling thread;
   * the table is filled on the loop, and only then are the shims watched, so an exit the monitor
   * reports always finds its container.
   *
   * @return how many containers were recovered
   */
  public int recover() throws IOException {
    Recovery recovery = new Recovery(runtime, state, clock, config.cgroupParent());
    List<RecoveredContainer> found = recovery.scan();
    RecoverTask t =
        new RecoverTask(
            found,
            recovery.quarantined(),
            restartRecords(found),
            state.namespaces(),
            new Reply<>());
    ring.submit(t);
    t.reply().await(Duration.ofSeconds(60));
    for (RecoveredContainer r : found) {
      if (r.watchable()) {
        watchAgain(r);
      }
    }
    return found.size();
  }

  /** The restart records of the containers found; an unreadable one counts as the policy no. */
  private Map<ContainerRef, RestartRecord> restartRecords(List<RecoveredContainer> found) {
    Map<ContainerRef, RestartRecord> out = new HashMap<>();
    for (RecoveredContainer r : found) {
      try {
        RestartFiles.read(state.paths(r.ref())).ifPresent(rec -> out.put(r.ref(), rec));
      } catch (IOException | RuntimeException e) {
        log.warn("container {}: restart record unreadable, policy no: {}", r.ref(), e.getMessage());
      }
    }
    return out;
  }

  private void watchAgain(RecoveredContainer r) {
    // conmon and the init's own pidfd, as at a start: an exit comes as soon as conmon reaps it
    Watch w = RecoveredWatch.of(r.ref(), r.created(), state.paths(r.ref()).exitFile());
    try {
      // The OOM watch first: an OOM kill must be known before the exit it causes is reported.
      watcher.watchOom(
          new OomWatch(
              r.ref(), Cgroups.memory(r.meta().cgroupsPath()), state.paths(r.ref()).persist()));
    } catch (RuntimeException e) {
      log.warn("container {}: OOM kills will not be reported: {}", r.ref(), e.getMessage());
    }
    try {
      watcher.watch(w); // a conmon that died since the scan is reported at once
    } catch (RuntimeException e) {
      log.error("container {}: cannot watch its shim again: {}", r.ref(), e.getMessage());
    }
    for (RecoveredExec x : r.execs()) {
      if (x.running()) {
        watchExecAgain(r.ref(), x);
      }
    }
  }

  private void watchExecAgain(ContainerRef id, RecoveredExec x) {
    try {
      watcher.watch(
          new Watch(id, x.id(), x.record().conmonPid(), state.paths(id).execExitFile(x.id())));
    } catch (RuntimeException e) {
      log.error(
          "container {}: exec {}: cannot watch its shim again: {}", id, x.id(), e.getMessage());
    }
  }

  /**
   * Queues a command; its reply answers it. A create's paths are checked first, on the caller's
   * thread (it takes file-system I/O), so one naming the daemon's own directories never reaches the
   * loop and nothing is written for it.
   *
   * @throws dev.corral.core.CorralException unavailable when the ring is full; invalid_argument
   *     naming the field when a create's path lies in a daemon directory
   */
  public void submit(Command c) {
    if (c instanceof StartTask t) {
      checkPaths(t.request());
    }
    ring.submit(c);
  }

  private void checkPaths(CreateRequest r) {
    forbidden.check("rootfs", r.rootfs());
    forbidden.check("checkpoint", r.checkpoint());
    if (r.bundle() != null) {
      forbidden.check("bundle", r.bundle());
      // the bundle's own root.path is the container's rootfs just the same
      forbidden.check("bundle: root.path", Bundles.rootPath("bundle", r.bundle()));
    }
  }

  /**
   * A new subscriber and the command that registers it, for a caller that submits it and takes the
   * reply asynchronously (the event stream). If the caller gives up, it must {@link #unsubscribe}.
   */
  public SubscribeTask subscription(EventFilter filter, Start from) {
    return new SubscribeTask(
        new Subscriber(filter, from, config.subscriberBuffer()), new Reply<>());
  }

  /** Drops a subscriber at once; if the ring is full the loop drops it at its next event. */
  public void unsubscribe(Subscriber s) {
    s.close();
    ring.tryPublish(new UnsubscribeTask(s.id()));
  }

  public MetricCatalog metrics() {
    return metrics;
  }

  /** Stops the loop after it drains, then the workers and the status writer. */
  @Override
  public void close() {
    timer.shutdownNow(); // no restart begins while the daemon stops
    ring.shutdown(5_000);
    try {
      workers.shutdown(Duration.ofSeconds(10));
      statusThread.shutdown();
      statusThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
