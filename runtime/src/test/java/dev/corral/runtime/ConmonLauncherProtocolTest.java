package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch protocol against a fake conmon script: it waits for the start byte on fd 4, forks a
 * "long-lived conmon" that writes a line to the sync pipe on fd 3, writes that child's pid to -P,
 * and exits. No root, runc or conmon needed.
 */
class ConmonLauncherProtocolTest {
  @TempDir Path dir;

  /** A fake conmon whose long-lived half runs {@code report} and then {@code then}. */
  private ConmonLauncher launcher(String report, String then, Duration timeout) throws IOException {
    String script =
        "#!/bin/sh\n"
            + "pidfile=; prev=\n"
            + "for a in \"$@\"; do [ \"$prev\" = -P ] && pidfile=$a; prev=$a; done\n"
            + "head -c 1 <&4 >/dev/null\n"
            + "sh -c '"
            + report
            + "; "
            + then
            + "' 4<&- &\n"
            + "echo $! > \"$pidfile\"\n"
            + "exit 0\n";
    Path conmon = dir.resolve("conmon");
    Files.writeString(conmon, script);
    Files.setPosixFilePermissions(conmon, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path runc = FakeRunc.write(dir, "", "", 0).binary;
    return new ConmonLauncher(conmon, runc, ns -> dir.resolve("r"), dir.resolve("s"), timeout);
  }

  private CreateSpec spec() {
    Path c = dir.resolve("c1");
    return new CreateSpec(
        ContainerRef.of("c1"),
        c.resolve("bundle"),
        c.resolve("persist"),
        c.resolve("exits"),
        c.resolve("log"),
        c.resolve("init.pid"),
        c.resolve("conmon.pid"),
        false,
        false,
        List.of());
  }

  private List<String> runcArgv() throws IOException {
    return Files.exists(dir.resolve("argv")) ? Files.readAllLines(dir.resolve("argv")) : List.of();
  }

  @Test
  void syncPipeReportGivesInitAndConmonPids() throws IOException {
    ConmonLauncher l =
        launcher("echo \"{\\\"data\\\": 4242}\" >&3", "exec sleep 60", Duration.ofSeconds(10));
    Created c = l.launch(spec());
    try {
      assertEquals(4242, c.initPid());
      assertEquals(
          Files.readString(spec().conmonPidFile()).strip(), Integer.toString(c.conmonPid()));
      assertTrue(ProcStat.alive(c.conmonPid(), c.conmonStartTime()));
      assertEquals(List.of(), runcArgv(), "success must not touch runc");
    } finally {
      ProcessHandle.of(c.conmonPid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void reportedFailureKeepsRuncsMessageAndDeletesTheContainer() throws IOException {
    String msg =
        "{\"data\": -1, \"message\": \"time=\\\"t\\\" level=error "
            + "msg=\\\"runc create failed: open rootfs: no such file or directory\\\"\\n\"}";
    Path report = Files.writeString(dir.resolve("report"), msg + "\n");
    ConmonLauncher l = launcher("cat " + report + " >&3", "exit 0", Duration.ofSeconds(10));
    CorralException e = assertThrows(CorralException.class, () -> l.launch(spec()));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals(
        "container c1: runc create failed: open rootfs: no such file or directory", e.getMessage());
    assertEquals(List.of("delete", "--force", "c1"), runcArgv().subList(6, 9));
  }

  @Test
  void silentConmonIsKilledAtTheTimeout() throws IOException {
    // Long enough for the fake's first half to daemonize and write its pid file on a loaded
    // machine; the silence that times out is the long-lived half's.
    ConmonLauncher l = launcher("true", "exec sleep 60", Duration.ofSeconds(2));
    CorralException e = assertThrows(CorralException.class, () -> l.launch(spec()));
    assertEquals(ErrorKind.DEADLINE_EXCEEDED, e.kind());
    assertTrue(
        e.getMessage().startsWith("container c1: conmon did not report within 2000 ms"),
        e.getMessage());
    int pid = Integer.parseInt(Files.readString(spec().conmonPidFile()).strip());
    assertTrue(awaitGone(pid), "conmon must have been killed");
    assertEquals(List.of("delete", "--force", "c1"), runcArgv().subList(6, 9));
  }

  @Test
  void conmonDyingWithoutAReportIsInternal() throws IOException {
    ConmonLauncher l = launcher("true", "exit 0", Duration.ofSeconds(10));
    CorralException e = assertThrows(CorralException.class, () -> l.launch(spec()));
    assertEquals(ErrorKind.INTERNAL, e.kind());
    assertEquals("container c1: conmon exited without a pid", e.getMessage());
  }

  @Test
  void missingConmonBinaryFailsWithTheErrnoText() {
    ConmonLauncher l =
        new ConmonLauncher(
            dir.resolve("nope"),
            Path.of("/bin/true"),
            ns -> dir.resolve("r"),
            dir.resolve("s"),
            Duration.ofSeconds(1));
    CorralException e = assertThrows(CorralException.class, () -> l.launch(spec()));
    assertTrue(e.getMessage().endsWith("No such file or directory (errno 2)"), e.getMessage());
  }

  /**
   * SIGKILL is delivered asynchronously: the process may still be on its way out when the launcher
   * returns. Waits up to 30 s (a generous bound for a loaded machine, not a timing claim).
   */
  private static boolean awaitGone(int pid) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!isGone(pid) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return isGone(pid);
  }

  /** No such process, or a zombie not yet reaped by init. */
  private static boolean isGone(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
      return ProcStat.parse(stat).state() == 'Z';
    } catch (IOException e) {
      return true;
    }
  }
}
