package dev.corral.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real corrald in its own JVM, on a private root, state dir and socket, for integration tests. It
 * runs from the test class path, so it is exactly the code under test. Closing it sends SIGTERM.
 * The tmpfs the daemon mounts on its state dir outlives it (a restarted daemon needs it); {@link
 * StateMounts} unmounts it once no daemon of the test uses it.
 */
final class Corrald implements AutoCloseable {
  final Path root;
  final Path state;
  final Path socket;
  final Path log;
  final Process process;

  /** Private to this daemon: parallel test runs never share a cgroup. */
  final String cgroupParent;

  private Corrald(Path root, Path socket, Path log, Process process, String cgroupParent) {
    this.cgroupParent = cgroupParent;
    this.root = root;
    this.state = stateOf(root);
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

  /** A daemon on {@code dir}'s root and socket with cgroup parent {@code cgroup}. */
  static Corrald startOn(Path dir, String cgroup, String... extraArgs) throws Exception {
    return start(dir, cgroup, extraArgs);
  }

  /** A daemon on {@code dir} whose JVM makes its temp files (if any) in {@code tmpdir}. */
  static Corrald startWithTmpdir(Path dir, Path tmpdir) throws Exception {
    return start(dir, "/corral-it-" + Long.toHexString(System.nanoTime()), tmpdir);
  }

  private static Corrald start(Path dir, String cgroup, String... extraArgs) throws Exception {
    return start(dir, cgroup, Path.of("/var/tmp"), extraArgs);
  }

  private static Corrald start(Path dir, String cgroup, Path tmpdir, String... extraArgs)
      throws Exception {
    Path root = dir.resolve("root");
    Path socket = dir.resolve("run/corral.sock");
    Path log = dir.resolve("corrald-" + System.nanoTime() + ".log");
    List<String> args =
        List.of(
            "--root", root.toString(), "--socket", socket.toString(), "--cgroup-parent", cgroup);
    Process p = launch(tmpdir, args, extraArgs, log);
    Corrald d = new Corrald(root, socket, log, p, cgroup);
    d.awaitReady();
    return d;
  }

  static Process launch(List<String> args, String[] extraArgs, Path log) throws IOException {
    return launch(Path.of("/var/tmp"), args, extraArgs, log);
  }

  private static Process launch(Path tmpdir, List<String> args, String[] extraArgs, Path log)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command(tmpdir, args, extraArgs))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("TMPDIR", tmpdir.toString()); // runc, conmon and their children too
    Process p = pb.start();
    stateArg(args).ifPresent(state -> StateMounts.register(state, p));
    return p;
  }

  /** The state dir of a test daemon on {@code root}: beside it, never the machine's /run/corral. */
  static Path stateOf(Path root) {
    return root.resolveSibling(root.getFileName() + "-state");
  }

  /** {@code args} with {@code --state} beside {@code --root} when they name a root and no state. */
  static List<String> withState(List<String> args) {
    int i = args.indexOf("--root");
    if (args.contains("--state") || i < 0 || i + 1 >= args.size()) {
      return args;
    }
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--state", stateOf(Path.of(args.get(i + 1))).toString()));
    return all;
  }

  private static java.util.Optional<Path> stateArg(List<String> args) {
    List<String> all = withState(args);
    int i = all.indexOf("--state");
    return i < 0 ? java.util.Optional.empty() : java.util.Optional.of(Path.of(all.get(i + 1)));
  }

  /** The java command line of a test corrald with {@code args} and {@code extraArgs}. */
  static final String LAUNCHER = "corral.launcher";

  static List<String> command(List<String> args, String... extraArgs) {
    return command(Path.of("/var/tmp"), args, extraArgs);
  }

  /**
   * As {@link #command(List, String...)}, with the JVM's temp dir at {@code tmpdir}. With the
   * system property {@value #LAUNCHER} set (to {@code scripts/corrald}) the daemon runs as shipped,
   * through that script and its JVM flags, instead of with the tests' flags ({@code -ea}, C2): the
   * benches that time the daemon use it.
   */
  static List<String> command(Path tmpdir, List<String> args, String... extraArgs) {
    args = withState(args);
    List<String> cmd = new ArrayList<>();
    String launcher = System.getProperty(LAUNCHER);
    if (launcher != null) {
      cmd.add(launcher);
      cmd.addAll(args);
      cmd.addAll(List.of(extraArgs));
      return cmd;
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-ea", "-Xmx256m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmpdir));
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
   * rmdir of this daemon's cgroup parent, and of the namespaces' cgroups in it, in every hierarchy,
   * so test runs leave no empty cgroups on the machine. Best effort: a parent that still holds a
   * container (a test that left one running on purpose, or one {@link Fixtures} cleans later)
   * stays.
   */
  private void removeEmptyCgroupParent() {
    List<Path> hierarchies = new ArrayList<>(List.of(Path.of("/sys/fs/cgroup")));
    try (var s = Files.list(Path.of("/sys/fs/cgroup"))) {
      s.forEach(hierarchies::add);
    } catch (IOException e) {
      return; // no cgroup tree to tidy
    }
    for (Path h : hierarchies) {
      Path parent = h.resolve(cgroupParent.substring(1));
      if (!Files.isDirectory(parent)) {
        continue;
      }
      try (var children = Files.list(parent)) {
        for (Path ns : children.filter(Files::isDirectory).toList()) {
          Files.deleteIfExists(ns); // a namespace's cgroup, PARENT/NS
        }
        Files.deleteIfExists(parent);
      } catch (IOException notEmptyOrNotOurs) {
        // kept: see above
      }
    }
  }
}
