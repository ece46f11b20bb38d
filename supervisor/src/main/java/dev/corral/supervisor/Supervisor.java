package dev.corral.supervisor;

import dev.corral.metrics.MetricCatalog;
import dev.corral.monitor.ExitSink;
import dev.corral.monitor.Watch;
import dev.corral.runtime.Bundles;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.state.StateDir;
import dev.corral.supervisor.event.EventFilter;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.Subscriber;
import dev.corral.supervisor.task.Command;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.SubscribeTask;
import dev.corral.supervisor.task.UnsubscribeTask;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
   * Sizes of the ring, the worker pool and a subscriber's buffer, and the cgroup parent every
   * container is created under.
   */
  public record Config(
      int ringSize, int workerThreads, int workerQueue, int subscriberBuffer, String cgroupParent) {
    public static final Config DEFAULTS = new Config(4096, 8, 1024, 4096, Bundles.CGROUP_PARENT);

    public Config {
      Bundles.requireCgroupParent(cgroupParent);
    }

    public Config withCgroupParent(String parent) {
      return new Config(ringSize, workerThreads, workerQueue, subscriberBuffer, parent);
    }
  }

  private final Config config;
  private final ContainerRuntime runtime;
  private final StateDir state;
  private final MetricCatalog metrics;
  private final Clock clock;
  private final LoopGuard guard = new LoopGuard();
  private final Ring ring;
  private final Workers workers;
  private ExitWatcher watcher; // the starting thread: set by start, read by recover
  private final ExecutorService statusThread =
      Executors.newSingleThreadExecutor(r -> daemonThread(r, "corral-state"));

  public Supervisor(
      Config config, ContainerRuntime runtime, StateDir state, MetricCatalog metrics, Clock clock) {
    this.config = config;
    this.runtime = runtime;
    this.state = state;
    this.metrics = metrics;
    this.clock = clock;
    this.ring = new Ring(config.ringSize(), guard, metrics);
    this.workers = new Workers(config.workerThreads(), config.workerQueue());
  }

  /** Where the monitor reports exits: each becomes an ExitTask on the ring. */
  public ExitSink exitSink() {
    return (w, code, at) -> ring.publish(new ExitTask(w.containerId(), w.processId(), code, at));
  }

  /** Wires the loop to {@code watcher} and starts the loop thread. */
  public void start(ExitWatcher watcher) {
    this.watcher = watcher;
    ContainerJobs jobs =
        new ContainerJobs(runtime, state, ring, watcher, metrics, clock, config.cgroupParent());
    LoopContext ctx =
        new LoopContext(
            guard,
            new ContainerTable(guard),
            new EventLog(guard, clock, 0),
            workers,
            jobs,
            new StatusWriter(state, statusThread),
            metrics,
            clock);
    ring.start(new EventLoop(ctx));
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
    List<RecoveredContainer> found =
        new Recovery(runtime, state, clock, config.cgroupParent()).scan();
    RecoverTask t = new RecoverTask(found, new Reply<>());
    ring.submit(t);
    t.reply().await(Duration.ofSeconds(60));
    for (RecoveredContainer r : found) {
      if (r.running()) {
        watchAgain(r);
      }
    }
    return found.size();
  }

  private void watchAgain(RecoveredContainer r) {
    Watch w =
        new Watch(
            r.id(), ContainerJobs.INIT, r.created().conmonPid(), state.paths(r.id()).exitFile());
    try {
      watcher.watch(w); // a conmon that died since the scan is reported at once
    } catch (RuntimeException e) {
      log.error("container {}: cannot watch its shim again: {}", r.id(), e.getMessage());
    }
  }

  /**
   * Queues a command; its reply answers it.
   *
   * @throws dev.corral.core.CorralException unavailable when the ring is full
   */
  public void submit(Command c) {
    ring.submit(c);
  }

  /** Registers a live subscriber; the first thing it receives is the {@code live} marker. */
  public Subscriber subscribe(EventFilter filter) {
    Subscriber s = new Subscriber(filter, config.subscriberBuffer());
    ring.submit(new SubscribeTask(s, new Reply<>()));
    return s;
  }

  /** Drops a subscriber at once; if the ring is full the loop drops it at its next event. */
  public void unsubscribe(Subscriber s) {
    s.close();
    ring.tryPublish(new UnsubscribeTask(s.id()));
  }

  public MetricCatalog metrics() {
    return metrics;
  }

  public ContainerRuntime runtime() {
    return runtime;
  }

  /** Stops the loop after it drains, then the workers and the status writer. */
  @Override
  public void close() {
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
