package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real corrald of an older main, built from git, for the layout migration tests: it writes a
 * root in its own layout, which the daemon under test then takes over.
 *
 * <p>Used by one test's thread.
 */
final class OldCorrald {
  final Process process;
  final Path log;

  private OldCorrald(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the daemon of {@code commit} on {@code dir}'s root ({@code dir/root}) and socket ({@code
   * dir/run/corral.sock}), as {@link Corrald} lays them out, and waits until it serves. With {@code
   * withState} it gets the test's {@code --state} beside the root (layout 2 on); without, it knows
   * no such option (layout 1).
   */
  static OldCorrald start(String commit, Path dir, String cgroup, boolean withState)
      throws Exception {
    Path jars = build(commit);
    List<String> args =
        List.of(
            "--root",
            dir.resolve("root").toString(),
            "--socket",
            dir.resolve("run/corral.sock").toString(),
            "--cgroup-parent",
            cgroup);
    if (withState) {
      args = Corrald.withState(args);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=/var/tmp",
                // Later mains read peer credentials through it (the earliest ignore it).
                "--add-exports",
                "java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp",
                jars.resolve("corral-daemon.jar") + ":" + jars.resolve("lib") + "/*",
                "dev.corral.daemon.Main"));
    cmd.addAll(args);
    Path log = dir.resolve("corrald-" + commit + "-" + System.nanoTime() + ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (withState) {
      StateMounts.register(Corrald.stateOf(dir.resolve("root")), p);
    }
    OldCorrald d = new OldCorrald(p, log);
    try (Api api = d.api(dir)) {
      d.awaitPing(api);
    }
    return d;
  }

  Api api(Path dir) throws Exception {
    return new Api(dir.resolve("run/corral.sock"));
  }

  private void awaitPing(Api api) throws Exception {
    for (int i = 0; i < 1200 && process.isAlive(); i++) {
      try {
        if (api.get("/v1/_ping").status() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("old corrald did not serve:\n" + Files.readString(log));
  }

  /** SIGKILL, as a crash: its containers keep running under their conmons. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "old corrald still runs");
  }

  /** SIGTERM, then waits for the JVM to exit; its containers keep running. */
  void stop() throws InterruptedException {
    process.destroy();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "old corrald still runs");
  }

  /**
   * The jar and libs of {@code commit}'s daemon, built once from git into {@code /var/tmp} and
   * reused by later runs. CI has the whole history, so a missing commit is a failure, never a skip.
   */
  static Path build(String commit) throws Exception {
    Path cache = Path.of("/var/tmp/corral-it-daemon-" + commit);
    if (Files.exists(cache.resolve("corral-daemon.jar"))) {
      return cache;
    }
    Path repo = Fixtures.scripts().getParent();
    Path src = Files.createTempDirectory(Path.of("/var/tmp"), "corral-it-" + commit + "-src");
    try {
      sh(
          src,
          "git -C '" + repo + "' archive --format=tar " + commit + " | tar -x -C '" + src + "'");
      sh(src, "mvn -B -q -DskipTests package -pl daemon -am");
      Path built = Files.createTempDirectory(Path.of("/var/tmp"), "corral-it-" + commit + "-jars");
      Files.copy(
          src.resolve("daemon/target/corral-daemon.jar"), built.resolve("corral-daemon.jar"));
      sh(src, "cp -r daemon/target/lib '" + built + "/lib'");
      try {
        Files.move(built, cache, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException
          | AtomicMoveNotSupportedException
          | DirectoryNotEmptyException raced) {
        sh(src, "rm -rf '" + built + "'"); // another run built it meanwhile
      }
      return cache;
    } finally {
      sh(src.getParent(), "rm -rf '" + src + "'");
    }
  }

  private static void sh(Path cwd, String script) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bash", "-c", "set -o pipefail; " + script)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(20, TimeUnit.MINUTES), script + ": timed out");
    assertEquals(0, p.exitValue(), script + ":\n" + out);
  }
}
