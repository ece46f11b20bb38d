package dev.corral.daemon;

import dev.corral.core.CorralException;
import java.nio.file.Path;
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
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Option(
      names = "--root",
      defaultValue = "/var/lib/corral",
      description = "State directory (default: ${DEFAULT-VALUE}).")
  Path root;

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

  @Override
  public Integer call() throws Exception {
    Daemon daemon;
    try {
      daemon =
          Daemon.start(
              new Daemon.Options(root, socket, runtime, conmon, cgroupParent, metricsAddress));
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
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** The version printed by {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"corrald " + (v == null ? "dev" : v)};
    }
  }
}
