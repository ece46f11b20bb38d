package dev.corral.daemon;

import dev.corral.api.ApiServer;
import dev.corral.api.MetricsServer;
import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import dev.corral.monitor.ExitMonitor;
import dev.corral.monitor.OomWatch;
import dev.corral.monitor.Watch;
import dev.corral.runtime.Binaries;
import dev.corral.runtime.RuncRuntime;
import dev.corral.runtime.SocketActivation;
import dev.corral.state.RootLock;
import dev.corral.state.StateDir;
import dev.corral.supervisor.MachineInfo;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.model.ExitWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * corrald wired: state dir, runtime, supervisor loop, exit monitor, HTTP API. Closing it stops
 * serving and leaves every container running under its shim (live restore).
 *
 * <p>Started and closed by the main thread (close may run on the JVM's shutdown-hook thread).
 */
public final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /** What the command line chose. */
  public record Options(
      Path root,
      Path socket,
      Path runc,
      Path conmon,
      String cgroupParent,
      String metricsAddress,
      int eventsRetain,
      int maxStreams,
      Duration restartBackoff,
      Duration restartBackoffMax) {
    /** Options with the default restart backoff. */
    public Options(
        Path root,
        Path socket,
        Path runc,
        Path conmon,
        String cgroupParent,
        String metricsAddress,
        int eventsRetain,
        int maxStreams) {
      this(
          root,
          socket,
          runc,
          conmon,
          cgroupParent,
          metricsAddress,
          eventsRetain,
          maxStreams,
          Duration.ofMillis(100),
          Duration.ofMinutes(1));
    }
  }

  /**
   * What SIGTERM does to the containers: by default nothing (they keep running under their shims
   * and the next daemon reattaches); with {@code stopContainers}, TERM, then KILL after {@code
   * grace}.
   */
  public record ShutdownPolicy(boolean stopContainers, Duration grace) {
    public static final ShutdownPolicy LEAVE_RUNNING =
        new ShutdownPolicy(false, Duration.ofSeconds(10));
  }

  private final ApiServer api;
  private final Supervisor supervisor;
  private final ExitMonitor monitor;
  private MetricsServer metricsServer; // main thread: set once right after start, before use
  private final ShutdownPolicy shutdown;
  private final RootLock lock;
  private final SystemdNotifier notifier = SystemdNotifier.fromEnv(System.getenv());

  private Daemon(
      ApiServer api,
      Supervisor supervisor,
      ExitMonitor monitor,
      ShutdownPolicy shutdown,
      RootLock lock) {
    this.api = api;
    this.supervisor = supervisor;
    this.monitor = monitor;
    this.shutdown = shutdown;
    this.lock = lock;
  }

  /** As {@link #start(Options, ShutdownPolicy)}, leaving containers running at shutdown. */
  public static Daemon start(Options o) throws IOException {
    return start(o, ShutdownPolicy.LEAVE_RUNNING);
  }

  /** As {@link #start(Options, ShutdownPolicy, StartupTrace)}, with a trace of its own. */
  public static Daemon start(Options o, ShutdownPolicy shutdown) throws IOException {
    return start(o, shutdown, StartupTrace.begin());
  }

  /**
   * Checks the binaries, opens and locks the state dir (one daemon per root) and starts everything.
   *
   * @throws dev.corral.core.CorralException with a message naming what is missing or wrong
   */
  static Daemon start(Options o, ShutdownPolicy shutdown, StartupTrace trace) throws IOException {
    if (o.maxStreams() < 1) {
      throw CorralException.invalidArgument(
          "--max-streams: %d is not a positive number", o.maxStreams());
    }
    // Checked here too, before the root is created: a bad option changes nothing.
    Supervisor.Config config =
        Supervisor.Config.DEFAULTS
            .withCgroupParent(o.cgroupParent())
            .withEventsRetain(o.eventsRetain())
            .withRestartBackoff(o.restartBackoff(), o.restartBackoffMax());
    Path runc = Binaries.require("runc", o.runc());
    Path conmon = Binaries.require("conmon", o.conmon());
    trace.mark("binaries");
    StateDir state = StateDir.open(o.root());
    RootLock lock = RootLock.acquire(state.root());
    trace.mark("state");
    try {
      return start(o, config, shutdown, trace, runc, conmon, state, lock);
    } catch (RuntimeException | IOException e) {
      lock.close();
      throw e;
    }
  }

  /** The rest of a start, once this process holds the root. */
  private static Daemon start(
      Options o,
      Supervisor.Config config,
      ShutdownPolicy shutdown,
      StartupTrace trace,
      Path runc,
      Path conmon,
      StateDir state,
      RootLock lock)
      throws IOException {
    RuncRuntime runtime = new RuncRuntime(runc, conmon, state.runcRoot(), state.socketDir());
    MachineInfo machine =
        MachineInfo.probe(
            runc.toString(),
            runtime.runtimeVersion(),
            conmon.toString(),
            runtime.shimVersion(),
            state.root());
    trace.mark("versions");
    Supervisor supervisor =
        new Supervisor(config, runtime, state, new MetricCatalog(), Clock.systemUTC());
    trace.mark("supervisor");
    ExitMonitor monitor = ExitMonitor.start(supervisor.exitSink(), supervisor.oomSink());
    supervisor.metrics().epollRegistrations(monitor::registrationCount);
    supervisor.start(watcher(monitor));
    trace.mark("monitor");
    try {
      recover(supervisor);
      trace.mark("recovery");
      ApiServer api =
          ApiServer.start(
              o.socket(), supervisor, machine, o.maxStreams(), SocketActivation.inherited());
      trace.mark("api");
      Daemon daemon = new Daemon(api, supervisor, monitor, shutdown, lock);
      daemon.metricsServer = startMetrics(o.metricsAddress(), supervisor, daemon);
      trace.mark("other");
      log.info("startup: {}", trace.summary());
      log.info(
          "corrald ready: root {}, runtime {}, shim {}",
          state.root(),
          machine.runtimeVersion(),
          machine.shimVersion());
      daemon.notifier.ready(ProcessHandle.current().pid());
      return daemon;
    } catch (RuntimeException | IOException e) {
      closeQuietly(supervisor, monitor);
      throw e;
    }
  }

  private static MetricsServer startMetrics(String address, Supervisor supervisor, Daemon daemon) {
    if (address == null) {
      return null;
    }
    try {
      return MetricsServer.start(address, supervisor.metrics());
    } catch (RuntimeException e) {
      daemon.api.close();
      throw e;
    }
  }

  /** The metrics TCP address bound, if --metrics-address was given. */
  public java.util.Optional<java.net.InetSocketAddress> metricsAddress() {
    return java.util.Optional.ofNullable(metricsServer).map(MetricsServer::address);
  }

  /** Reattaches to what the last daemon left in --root, before anything is served. */
  private static void recover(Supervisor supervisor) throws IOException {
    long t0 = System.nanoTime();
    int n = supervisor.recover();
    log.info("recovered {} containers in {} ms", n, (System.nanoTime() - t0) / 1_000_000);
  }

  private static ExitWatcher watcher(ExitMonitor monitor) {
    return new ExitWatcher() {
      @Override
      public void watch(Watch w) {
        monitor.watch(w);
      }

      @Override
      public void unwatch(String key) {
        monitor.unwatch(key);
      }

      @Override
      public void watchOom(OomWatch w) {
        monitor.watchOom(w);
      }

      @Override
      public void unwatchOom(String containerId) {
        monitor.unwatchOom(containerId);
      }
    };
  }

  private static void closeQuietly(Supervisor supervisor, ExitMonitor monitor) {
    supervisor.close();
    monitor.close();
  }

  /**
   * Stops the API, then (with {@code --shutdown-containers}) every container, then the loop (after
   * it drains), then the monitor. By default containers keep running.
   */
  @Override
  public void close() {
    notifier.stopping();
    if (metricsServer != null) {
      metricsServer.close();
    }
    api.close();
    if (shutdown.stopContainers()) {
      stopContainers();
    }
    closeQuietly(supervisor, monitor);
    lock.close();
    log.info(
        "corrald stopped; {}",
        shutdown.stopContainers()
            ? "containers stopped"
            : "containers left running under their shims");
  }

  private void stopContainers() {
    try {
      new ContainerStopper(supervisor).stopAll(shutdown.grace());
    } catch (RuntimeException e) {
      log.error("stopping containers at shutdown failed: {}", e.getMessage(), e);
    }
  }
}
