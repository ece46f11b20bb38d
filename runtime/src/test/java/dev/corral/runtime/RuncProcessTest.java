package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a runc verb runs as a process (posix_spawn and a pidfd wait, {@link Exec}): what the child
 * inherits, what comes back from it, and what happens to it at the timeout.
 */
class RuncProcessTest {
  @TempDir Path dir;

  private Runc runc(FakeRunc fake, Duration timeout) {
    return new Runc(fake.binary, ns -> dir.resolve("root"), timeout);
  }

  /** fd number -> link target, from {@code ls -l /proc/PID/fd} output. */
  private static Map<Integer, String> fds(String listing) {
    Map<Integer, String> fds = new TreeMap<>();
    for (String line : listing.split("\n")) {
      int arrow = line.indexOf(" -> ");
      if (arrow > 0) {
        String[] left = line.substring(0, arrow).split(" ");
        fds.put(Integer.valueOf(left[left.length - 1]), line.substring(arrow + 4));
      }
    }
    return fds;
  }

  @Test
  void theChildHasStdioAndNoFdOfTheJvm() throws IOException {
    Path jvmOnly = Files.writeString(dir.resolve("jvm-only"), "x");
    // The listing goes to the captured stdout: a redirect would make the shell hold more fds.
    FakeRunc fake = FakeRunc.write(dir, "", "", "ls -l /proc/$$/fd", 0);
    long jvmFds;
    Exec.Result r;
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"));
        FileInputStream held = new FileInputStream(jvmOnly.toFile())) {
      jvmFds = s.count();
      assertTrue(held.getFD().valid());
      r = Exec.run("test", List.of(fake.binary.toString(), "start", "c1"), Duration.ofSeconds(10));
    }
    assertTrue(jvmFds > 8, "the JVM should have jars and more open: " + jvmFds);
    Map<Integer, String> fds = fds(r.stdout());
    assertEquals("/dev/null", fds.get(0), fds.toString());
    assertTrue(fds.get(1).startsWith("/memfd:stdout"), fds.toString());
    assertTrue(fds.get(2).startsWith("/memfd:stderr"), fds.toString());
    // Beyond stdio the shell holds only its own script open (dash reads it through a high fd).
    fds.keySet().removeAll(List.of(0, 1, 2));
    fds.values().forEach(target -> assertEquals(fake.binary.toString(), target, fds.toString()));
  }

  @Test
  void stdoutAndStderrAreBothCapturedWhateverTheirSize() throws IOException {
    String big = "x".repeat(100_000);
    FakeRunc fake = FakeRunc.write(dir, "", big, "echo 'oops on stderr' >&2", 0);
    Exec.Result r =
        Exec.run("test", List.of(fake.binary.toString(), "state", "c1"), Duration.ofSeconds(10));
    assertEquals(0, r.exitCode());
    assertEquals(big + "\n", r.stdout());
    assertEquals("oops on stderr\n", r.stderr());
  }

  @Test
  void exitCodesComeBackAsRuncGaveThem() throws IOException {
    for (int code : new int[] {0, 1, 2, 42, 255}) {
      FakeRunc fake = FakeRunc.write(dir, "", "", code);
      Exec.Result r = Exec.run("test", List.of(fake.binary.toString()), Duration.ofSeconds(10));
      assertEquals(code, r.exitCode());
    }
  }

  @Test
  void aRuncKilledByASignalFailsWith128PlusTheSignal() throws IOException {
    FakeRunc fake = FakeRunc.write(dir, "", "", "kill -9 $$", 0);
    CorralException e =
        assertThrows(
            CorralException.class,
            () -> runc(fake, Duration.ofSeconds(10)).pause(ContainerRef.of("c1")));
    assertEquals("container c1: runc pause: exit status 137", e.getMessage());
    assertEquals(ErrorKind.INTERNAL, e.kind());
  }

  @Test
  void theTimeoutKillsAndReapsTheChild() throws IOException {
    Path pidFile = dir.resolve("pid");
    FakeRunc fake = FakeRunc.write(dir, "", "", "echo $$ > '" + pidFile + "'; exec sleep 30", 0);
    CorralException e =
        assertThrows(
            CorralException.class,
            () -> runc(fake, Duration.ofMillis(300)).kill(ContainerRef.of("c1"), 15, false));
    assertEquals(ErrorKind.DEADLINE_EXCEEDED, e.kind());
    assertEquals("container c1: runc kill: timed out after 300 ms", e.getMessage());
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    // Reaped, not a zombie: the pid is gone from /proc (it could only be reused by now by chance).
    assertFalse(Files.exists(Path.of("/proc/" + pid + "/stat")), "runc " + pid + " still exists");
  }

  @Test
  void theChildGetsTheJvmsEnvironment() throws IOException {
    Path env = dir.resolve("env");
    FakeRunc fake = FakeRunc.write(dir, "", "", "echo \"$PATH\" > '" + env + "'", 0);
    runc(fake, Duration.ofSeconds(10)).resume(ContainerRef.of("c1"));
    assertEquals(System.getenv("PATH"), Files.readString(env).strip());
  }

  @Test
  void aMissingBinaryIsAnInternalErrorNamingTheCall() {
    Runc runc = new Runc(dir.resolve("no-runc"), ns -> dir, Duration.ofSeconds(10));
    CorralException e =
        assertThrows(CorralException.class, () -> runc.start(ContainerRef.of("c1")));
    assertEquals(ErrorKind.INTERNAL, e.kind());
    assertTrue(
        e.getMessage().startsWith("container c1: runc start: spawn " + dir.resolve("no-runc")),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("No such file or directory (errno 2)"), e.getMessage());
  }
}
