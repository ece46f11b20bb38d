package dev.corral.daemon;

import dev.corral.api.ApiServer;
import dev.corral.api.MetricsServer;
import dev.corral.metrics.MetricCatalog;
import dev.corral.monitor.ExitMonitor;
import dev.corral.monitor.OomWatch;
import dev.corral.monitor.Watch;
import dev.corral.runtime.Binaries;
import dev.corral.runtime.RuncRuntime;
import dev.corral.state.StateDir;
import dev.corral.supervisor.ExitWatcher;
import dev.corral.supervisor.MachineInfo;
import dev.corral.supervisor.Supervisor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
      Path root, Path socket, Path runc, Path conmon, String cgroupParent, String metricsAddress) {
    /** Without a metrics TCP address (the unix socket still serves /metrics). */
    public Options(Path root, Path socket, Path runc, Path conmon, String cgroupParent) {
      this(root, socket, runc, conmon, cgroupParent, null);
    }
  }

  private final ApiServer api;
  private final Supervisor supervisor;
  private final ExitMonitor monitor;
  private MetricsServer metricsServer; // main thread: set once right after start, before use

  private Daemon(ApiServer api, Supervisor supervisor, ExitMonitor monitor) {
    this.api = api;
    this.supervisor = supervisor;
    this.monitor = monitor;
  }

  /**
   * Checks the binaries, opens the state dir and starts everything.
   *
   * @throws dev.corral.core.CorralException with a message naming what is missing or wrong
   */
  public static Daemon start(Options o) throws IOException {
    Path runc = Binaries.require("runc", o.runc());
    Path conmon = Binaries.require("conmon", o.conmon());
    StateDir state = StateDir.open(o.root());
    RuncRuntime runtime = new RuncRuntime(runc, conmon, state.runcRoot(), state.socketDir());
    MachineInfo machine =
        MachineInfo.probe(
            runc.toString(),
            runtime.runtimeVersion(),
            conmon.toString(),
            runtime.shimVersion(),
            state.root());
    Supervisor supervisor =
        new Supervisor(
            Supervisor.Config.DEFAULTS.withCgroupParent(o.cgroupParent()),
            runtime,
            state,
            new MetricCatalog(),
            Clock.systemUTC());
    ExitMonitor monitor = ExitMonitor.start(supervisor.exitSink(), supervisor.oomSink());
    supervisor.metrics().epollRegistrations(monitor::registrationCount);
    supervisor.start(watcher(monitor));
    try {
      ApiServer api = ApiServer.start(o.socket(), supervisor, machine);
      Daemon daemon = new Daemon(api, supervisor, monitor);
      daemon.metricsServer = startMetrics(o.metricsAddress(), supervisor, daemon);
      log.info(
          "corrald ready: root {}, runtime {}, shim {}",
          state.root(),
          machine.runtimeVersion(),
          machine.shimVersion());
      return daemon;
    } catch (RuntimeException e) {
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

  /** Stops the API, then the loop (after it drains), then the monitor. Containers keep running. */
  @Override
  public void close() {
    if (metricsServer != null) {
      metricsServer.close();
    }
    api.close();
    closeQuietly(supervisor, monitor);
    log.info("corrald stopped; containers left running under their shims");
  }
}
