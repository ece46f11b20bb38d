package dev.corral.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real corrald in its own JVM, on a private root and socket, for integration tests. It runs from
 * the test class path, so it is exactly the code under test. Closing it sends SIGTERM.
 */
final class Corrald implements AutoCloseable {
  final Path root;
  final Path socket;
  final Path log;
  final Process process;

  /** Private to this daemon: parallel test runs never share a cgroup. */
  final String cgroupParent;

  private Corrald(Path root, Path socket, Path log, Process process, String cgroupParent) {
    this.cgroupParent = cgroupParent;
    this.root = root;
    this.socket = socket;
    this.log = log;
    this.process = process;
  }

  /** Starts a daemon under {@code dir} and waits until it answers {@code /v1/_ping}. */
  static Corrald start(Path dir, String... extraArgs) throws Exception {
    return start(dir, "/corral-it-" + Long.toHexString(System.nanoTime()), extraArgs);
  }

  /** A new daemon on the root, socket and cgroup parent of {@code old}, which must be gone. */
  static Corrald restart(Corrald old, String... extraArgs) throws Exception {
    return start(old.root.getParent(), old.cgroupParent, extraArgs);
  }

  private static Corrald start(Path dir, String cgroup, String... extraArgs) throws Exception {
    Path root = dir.resolve("root");
    Path socket = dir.resolve("run/corral.sock");
    Path log = dir.resolve("corrald-" + System.nanoTime() + ".log");
    List<String> args =
        List.of(
            "--root", root.toString(), "--socket", socket.toString(), "--cgroup-parent", cgroup);
    Process p = launch(args, extraArgs, log);
    Corrald d = new Corrald(root, socket, log, p, cgroup);
    d.awaitReady();
    return d;
  }

  static Process launch(List<String> args, String[] extraArgs, Path log) throws IOException {
    return new ProcessBuilder(command(args, extraArgs))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** The java command line of a test corrald with {@code args} and {@code extraArgs}. */
  static List<String> command(List<String> args, String... extraArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-ea", "-Xmx256m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=/var/tmp"));
    cmd.addAll(List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.corral.daemon.Main"));
    cmd.addAll(args);
    cmd.addAll(List.of(extraArgs));
    return cmd;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("corrald exited " + process.exitValue() + ":\n" + logText());
      }
      if (Files.exists(socket)) {
        try (Api api = new Api(socket)) {
          if (api.get("/v1/_ping").status() == 200) {
            return;
          }
        } catch (Exception notYet) {
          // not listening yet
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("corrald not ready within 60 s:\n" + logText());
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  Api api() throws Exception {
    return new Api(socket);
  }

  /** SIGTERM, then wait for the JVM to exit. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }

  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping corrald", e);
    }
    removeEmptyCgroupParent();
  }

  /**
   * rmdir of this daemon's cgroup parent in every hierarchy, so test runs leave no empty cgroups on
   * the machine. Best effort: a parent that still holds a container (a test that left one running
   * on purpose, or one {@link Fixtures} cleans later) stays.
   */
  private void removeEmptyCgroupParent() {
    try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.toList()) {
        try {
          Files.deleteIfExists(h.resolve(cgroupParent.substring(1)));
        } catch (IOException notEmptyOrNotOurs) {
          // kept: see above
        }
      }
    } catch (IOException e) {
      // no cgroup tree to tidy
    }
  }
}
