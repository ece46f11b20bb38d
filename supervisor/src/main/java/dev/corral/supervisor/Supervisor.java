package dev.corral.supervisor;

import dev.corral.metrics.ContainerCgroups;
import dev.corral.metrics.MetricCatalog;
import dev.corral.monitor.ExitSink;
import dev.corral.monitor.OomSink;
import dev.corral.runtime.Bundles;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.state.StateDir;
import dev.corral.supervisor.event.EventFilter;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.Subscriber;
import dev.corral.supervisor.task.Command;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.OOMTask;
import dev.corral.supervisor.task.SubscribeTask;
import dev.corral.supervisor.task.UnsubscribeTask;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor as the rest of the daemon sees it: a ring to submit commands to, the sink the exit
 * monitor reports into, and event subscriptions. Construct, hand {@link #exitSink()} to the
 * monitor, then {@link #start} with that monitor.
 *
 * <p>Thread-safe: every method may be called from any thread except the loop.
 */
public final class Supervisor implements AutoCloseable {
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
    metrics.ringRemainingCapacity(ring::remainingCapacity);
    metrics.workerQueueDepth(workers::queueDepth);
    metrics.register(
        new ContainerCgroups(
            metrics.liveContainers(),
            MemoryCgroup.ROOT,
            config.cgroupParent(),
            workers,
            Duration.ofSeconds(5)));
  }

  /** Where the monitor reports exits: each becomes an ExitTask on the ring. */
  public ExitSink exitSink() {
    return (w, code, at) -> ring.publish(new ExitTask(w.containerId(), w.processId(), code, at));
  }

  /** Where the monitor reports OOM kills: each becomes an OOMTask, ahead of the exit it caused. */
  public OomSink oomSink() {
    return id -> ring.publish(new OOMTask(id));
  }

  /** Wires the loop to {@code watcher} and starts the loop thread. */
  public void start(ExitWatcher watcher) {
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
