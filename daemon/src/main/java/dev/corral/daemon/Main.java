package dev.corral.daemon;

import dev.corral.api.AccessPolicy;
import dev.corral.core.CorralException;
import dev.corral.core.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code corrald}: parses the command line, starts the {@link Daemon}, waits for SIGTERM. */
@Command(
    name = "corrald",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "The corral container supervisor daemon.")
public final class Main implements Callable<Integer> {
  private static final String JNR_ASM = "jnr.ffi.asm.enabled";

  // No static logger: logging is set up after the arguments, so the startup trace can time both.
  private final StartupTrace trace;

  Main(StartupTrace trace) {
    this.trace = trace;
  }

  @Option(
      names = "--root",
      defaultValue = "/var/lib/corral",
      description =
          "What survives a reboot: container records, logs, checkpoints, the event journal"
              + " (default: ${DEFAULT-VALUE}).")
  Path root;

  @Option(
      names = "--state",
      defaultValue = "/run/corral",
      description =
          "Runtime state on a tmpfs (mounted here when it is not one): runc's root, conmon's"
              + " files and sockets, bundle copies (default: ${DEFAULT-VALUE}).")
  Path state;

  @Option(
      names = "--state-size",
      defaultValue = "256m",
      description = "Size limit of the tmpfs mounted on --state (default: ${DEFAULT-VALUE}).")
  String stateSize;

  @Option(
      names = "--socket",
      defaultValue = "/run/corral/corral.sock",
      description = "API socket (default: ${DEFAULT-VALUE}).")
  Path socket;

  @Option(names = "--runtime", description = "Path to runc (default: runc on PATH).")
  Path runtime;

  @Option(names = "--conmon", description = "Path to conmon (default: conmon on PATH).")
  Path conmon;

  @Option(
      names = "--cgroup-parent",
      defaultValue = "/corral",
      description = "Cgroup every container is created under (default: ${DEFAULT-VALUE}).")
  String cgroupParent;

  @Option(
      names = "--metrics-address",
      description =
          "Also serve GET /metrics over TCP on this loopback HOST:PORT, e.g. 127.0.0.1:9464.")
  String metricsAddress;

  @Option(
      names = "--events-retain",
      defaultValue = "10000",
      description = "Events kept (on disk and in memory) for replay (default: ${DEFAULT-VALUE}).")
  int eventsRetain;

  @Option(
      names = "--max-streams",
      defaultValue = "200",
      description =
          "Event, followed-log and streamed-stats requests open at once; more get 503"
              + " (default: ${DEFAULT-VALUE}).")
  int maxStreams;

  @Option(
      names = "--allow-uid",
      split = ",",
      paramLabel = "UID",
      description =
          "Also let this uid call the API, whatever the socket's mode; repeatable or a comma list"
              + " (root always may).")
  List<Integer> allowUids = new ArrayList<>();

  @Option(
      names = "--allow-gid",
      split = ",",
      paramLabel = "GID",
      description =
          "Let callers whose primary group is this gid call the API; repeatable or a comma list"
              + " (default: the socket's group).")
  List<Integer> allowGids = new ArrayList<>();

  @Option(
      names = "--shutdown-containers",
      description = "On SIGTERM, stop every container (TERM, then KILL) before exiting.")
  boolean shutdownContainers;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "10s",
      converter = GraceConverter.class,
      description = "With --shutdown-containers: time between TERM and KILL (default: 10s).")
  Duration shutdownGrace;

  @Option(
      names = "--restart-backoff",
      defaultValue = "100ms",
      converter = GraceConverter.class,
      description =
          "Wait before a restart policy's first restart, doubled per consecutive restart"
              + " (default: ${DEFAULT-VALUE}).")
  Duration restartBackoff;

  @Option(
      names = "--restart-backoff-max",
      defaultValue = "1m",
      converter = GraceConverter.class,
      description = "Longest wait before a restart (default: ${DEFAULT-VALUE}).")
  Duration restartBackoffMax;

  @Override
  public Integer call() throws Exception {
    trace.mark("args");
    Logger log = LoggerFactory.getLogger(Main.class);
    trace.mark("logging");
    Daemon daemon;
    try {
      daemon =
          Daemon.start(
              new Daemon.Options(
                  root,
                  state,
                  stateSize,
                  socket,
                  runtime,
                  conmon,
                  cgroupParent,
                  metricsAddress,
                  eventsRetain,
                  maxStreams,
                  new AccessPolicy(Set.copyOf(allowUids), Set.copyOf(allowGids)),
                  restartBackoff,
                  restartBackoffMax),
              new Daemon.ShutdownPolicy(shutdownContainers, shutdownGrace),
              trace);
    } catch (CorralException | java.io.IOException e) {
      log.error("corrald cannot start: {}", e.getMessage(), e.getCause());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  daemon.close();
                  stopped.countDown();
                },
                "corral-shutdown"));
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    StartupTrace trace = StartupTrace.begin();
    // jnr-ffi's reflection invokers instead of classes generated with ASM at first use: binding
    // the native calls then takes ~30 ms instead of ~110 ms of every start (measured with the
    // startup line), and a call costs microseconds more, nothing next to the syscalls behind it.
    // Must be set before the first binding loads; -Djnr.ffi.asm.enabled=true still wins.
    if (System.getProperty(JNR_ASM) == null) {
      System.setProperty(JNR_ASM, "false");
    }
    System.exit(new CommandLine(new Main(trace)).execute(args));
  }

  /**
   * Durations like {@code 10s}, {@code 500ms}, {@code 2m}, or plain seconds ({@link Durations}).
   */
  static final class GraceConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String v) {
      try {
        return Durations.parseUnchecked("duration", v.strip());
      } catch (CorralException e) {
        throw new CommandLine.TypeConversionException(
            v + " is not a duration like 10s, 500ms or 2m");
      }
    }
  }

  /** The version printed by {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"corrald " + dev.corral.core.BuildInfo.version()};
    }
  }
}
