package dev.corral.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnerTest {
  @TempDir Path dir;

  private static ExitStatus run(Path cwd, Map<Integer, Integer> fds, String script) {
    int pid = Spawner.spawn(List.of("/bin/sh", "-c", script), Map.of("FOO", "bar baz"), cwd, fds);
    return Spawner.waitpid(pid);
  }

  @Test
  void childSeesOnlyStdioAndTheMappedFds() throws IOException {
    long jvmFds;
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      jvmFds = s.count();
    }
    assertTrue(jvmFds > 8, "the JVM should have jars and more open: " + jvmFds);
    Path out = dir.resolve("fds");
    try (Pipe a = Pipe.open();
        Pipe b = Pipe.open()) {
      ExitStatus status = run(dir, Map.of(3, a.writeFd(), 4, b.readFd()), "ls /proc/self/fd > fds");
      assertTrue(status.success(), status.toString());
    }
    Set<Integer> fds =
        Files.readAllLines(out).stream().map(Integer::valueOf).collect(Collectors.toSet());
    // 0-4, plus the one ls opens to read /proc/self/fd (5): nothing of the JVM's
    assertTrue(fds.containsAll(Set.of(0, 1, 2, 3, 4)), fds.toString());
    assertTrue(new TreeSet<>(fds).last() <= 5, fds.toString());
  }

  @Test
  void mappedFdReachesTheParentsPipe() {
    try (Pipe p = Pipe.open()) {
      assertTrue(run(dir, Map.of(3, p.writeFd()), "echo hello >&3").success());
      p.closeWrite();
      assertEquals(Optional.of("hello"), p.readLine(System.nanoTime() + 5_000_000_000L));
    }
  }

  @Test
  void envAndCwdAreExactlyAsGiven() throws IOException {
    run(dir, Map.of(), "pwd > out; echo \"$FOO|${HOME-unset}\" >> out");
    assertEquals(List.of(dir.toString(), "bar baz|unset"), Files.readAllLines(dir.resolve("out")));
  }

  @Test
  void unmappedStdioIsDevNull() {
    String script =
        "for fd in 0 1 2; do [ \"$(readlink /proc/$$/fd/$fd)\" = /dev/null ] || exit 1; done";
    assertTrue(run(dir, Map.of(), script).success());
  }

  @Test
  void exitCodeAndSignalAreDecoded() {
    ExitStatus exited = run(dir, Map.of(), "exit 7");
    assertTrue(exited.exited());
    assertEquals(7, exited.exitCode());
    ExitStatus killed = run(dir, Map.of(), "kill -9 $$");
    assertFalse(killed.exited());
    assertEquals(9, killed.signal());
    assertEquals("killed by signal 9", killed.toString());
  }

  @Test
  void awaitReapsAChildThatExitsThroughItsPidfd() {
    int pid = Spawner.spawn(List.of("/bin/sh", "-c", "exit 7"), Map.of(), dir, Map.of());
    Optional<ExitStatus> status = Spawner.await(pid, System.nanoTime() + 10_000_000_000L);
    assertEquals(7, status.orElseThrow().exitCode());
    assertFalse(Files.exists(Path.of("/proc/" + pid + "/stat")), "reaped: no zombie left");
  }

  @Test
  void awaitGivesUpAtTheDeadlineAndLeavesTheChildToKillAndReap() {
    int pid = Spawner.spawn(List.of("/bin/sleep", "30"), Map.of(), dir, Map.of());
    assertEquals(Optional.empty(), Spawner.await(pid, System.nanoTime() + 50_000_000L));
    assertTrue(Files.exists(Path.of("/proc/" + pid + "/stat")), "still running after the wait");
    assertEquals(9, Spawner.killAndReap(pid).signal());
  }

  @Test
  void signalsBlockedOrIgnoredInTheJvmAreResetInTheChild() {
    // SIGTERM must end the child even though JVM threads block and handle signals.
    assertEquals(15, run(dir, Map.of(), "kill -TERM $$; sleep 5").signal());
  }

  @Test
  void missingBinaryFailsWithTheErrnoText() {
    CorralException e =
        assertThrows(
            CorralException.class,
            () -> Spawner.spawn(List.of("/nonexistent/conmon"), Map.of(), dir, Map.of()));
    assertEquals("spawn /nonexistent/conmon: No such file or directory (errno 2)", e.getMessage());
  }

  @Test
  void missingCwdFailsWithTheErrnoText() {
    CorralException e =
        assertThrows(
            CorralException.class,
            () -> Spawner.spawn(List.of("/bin/true"), Map.of(), dir.resolve("gone"), Map.of()));
    assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
  }

  @Test
  void relativeBinaryIsRefused() {
    assertThrows(
        CorralException.class, () -> Spawner.spawn(List.of("sh"), Map.of(), dir, Map.of()));
  }
}
