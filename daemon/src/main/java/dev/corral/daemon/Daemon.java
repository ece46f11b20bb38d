package dev.corral.daemon;

import dev.corral.api.AccessPolicy;
import dev.corral.api.ApiServer;
import dev.corral.api.MetricsServer;
import dev.corral.api.Peer;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ForbiddenPaths;
import dev.corral.metrics.MetricCatalog;
import dev.corral.monitor.ExitMonitor;
import dev.corral.monitor.OomWatch;
import dev.corral.monitor.Watch;
import dev.corral.runtime.Binaries;
import dev.corral.runtime.RuncRuntime;
import dev.corral.runtime.SandboxRootfs;
import dev.corral.runtime.SocketActivation;
import dev.corral.runtime.sys.Mounts;
import dev.corral.runtime.sys.PeerCredentials;
import dev.corral.state.LayoutMigration;
import dev.corral.state.RootLock;
import dev.corral.state.StateDir;
import dev.corral.supervisor.MachineInfo;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.model.ExitWatcher;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
      Path state,
      String stateSize,
      Path socket,
      Path runc,
      Path conmon,
      String cgroupParent,
      String metricsAddress,
      int eventsRetain,
      int maxStreams,
      AccessPolicy access,
      Duration restartBackoff,
      Duration restartBackoffMax) {}

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
    PeerCredentials.requireAvailable();
    Mounts.requireSize(o.stateSize());
    Path runc = Binaries.require("runc", o.runc());
    Path conmon = Binaries.require("conmon", o.conmon());
    // Static, copied into the pods' sandbox root filesystem (see SandboxRootfs).
    Path catatonit = Binaries.require("catatonit", null);
    trace.mark("binaries");
    RootLock lock = lockRoot(o.root());
    try {
      StateDir state = openState(o);
      SandboxRootfs.ensure(state.sandboxRootfs(), catatonit);
      trace.mark("state");
      return start(o, config, shutdown, trace, runc, conmon, state, lock);
    } catch (RuntimeException | IOException e) {
      lock.close();
      throw e;
    }
  }

  private static RootLock lockRoot(Path root) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    Files.createDirectories(abs);
    Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rwx------"));
    return RootLock.acquire(abs);
  }

  /**
   * Under the root lock: the tmpfs on --state, both dirs' layout, a v1 root migrated, and what a
   * crash left in the trash and temp dirs swept.
   */
  private static StateDir openState(Options o) throws IOException {
    StateMount.ensureTmpfs(o.state(), o.stateSize());
    StateDir state = StateDir.open(o.root(), o.state());
    new LayoutMigration(state).run();
    int swept = state.sweepLeftovers();
    if (swept > 0) {
      log.info("removed {} entries left in the trash and temp dirs", swept);
    }
    return state;
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
    RuncRuntime runtime = new RuncRuntime(runc, conmon, state::runcRoot, state.socketDir());
    MachineInfo machine =
        MachineInfo.probe(
            runc.toString(),
            runtime.runtimeVersion(),
            conmon.toString(),
            runtime.shimVersion(),
            state.root());
    trace.mark("versions");
    Supervisor supervisor =
        new Supervisor(
            config, runtime, state, new MetricCatalog(), Clock.systemUTC(), daemonDirs(state));
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
              o.socket(),
              supervisor,
              machine,
              o.maxStreams(),
              SocketActivation.inherited(),
              o.access(),
              Daemon::peer);
      trace.mark("api");
      Daemon daemon = new Daemon(api, supervisor, monitor, shutdown, lock);
      daemon.metricsServer = startMetrics(o.metricsAddress(), supervisor, daemon);
      trace.mark("other");
      log.info("startup: {}", trace.summary());
      log.info(
          "corrald ready: root {}, state {}, runtime {}, shim {}",
          state.root(),
          state.state(),
          machine.runtimeVersion(),
          machine.shimVersion());
      daemon.notifier.ready(ProcessHandle.current().pid());
      return daemon;
    } catch (RuntimeException | IOException e) {
      closeQuietly(supervisor, monitor);
      throw e;
    }
  }

  /**
   * The directories no request path may name or resolve into; the runtime state dir joins the root
   * here once it has one of its own.
   */
  /** What no rootfs, bundle or checkpoint path may be in or resolve into: --root and --state. */
  private static ForbiddenPaths daemonDirs(StateDir state) {
    return new ForbiddenPaths(List.of(state.root(), state.state()));
  }

  private static Peer peer(SocketChannel channel) {
    PeerCredentials c = PeerCredentials.of(channel);
    return new Peer(c.pid(), c.uid(), c.gid());
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
      public void unwatchOom(ContainerRef containerId) {
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
