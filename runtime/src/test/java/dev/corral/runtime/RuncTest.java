package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuncTest {
  private static final String NOT_EXIST =
      "{\"level\":\"error\",\"msg\":\"container does not exist\",\"time\":\"t\"}";

  @TempDir Path dir;

  private Runc runc(FakeRunc fake) {
    return new Runc(fake.binary, ns -> Path.of("/run/corral/runc"), Duration.ofSeconds(10));
  }

  private FakeRunc ok(String stdout) throws IOException {
    return FakeRunc.write(dir, "", stdout, 0);
  }

  /** The recorded argv without the log option, runc's fd 3 (a memfd of the daemon's). */
  private static List<String> verbArgs(FakeRunc fake) throws IOException {
    List<String> argv = fake.argv();
    assertEquals(
        List.of("--root", "/run/corral/runc", "--log-format", "json", "--log"), argv.subList(0, 5));
    assertEquals("/proc/self/fd/3", argv.get(5));
    return argv.subList(6, argv.size());
  }

  @Test
  void startPassesRootJsonLogAndId() throws IOException {
    FakeRunc fake = ok("");
    runc(fake).start(ContainerRef.of("c1"));
    assertEquals(List.of("start", "c1"), verbArgs(fake));
  }

  @Test
  void killWithAllPutsTheFlagBeforeIdAndSignal() throws IOException {
    FakeRunc fake = ok("");
    runc(fake).kill(ContainerRef.of("c1"), 15, true);
    assertEquals(List.of("kill", "--all", "c1", "15"), verbArgs(fake));
  }

  @Test
  void killOfTheInitOnlyHasNoAllFlag() throws IOException {
    FakeRunc fake = ok("");
    runc(fake).kill(ContainerRef.of("c1"), 9, false);
    assertEquals(List.of("kill", "c1", "9"), verbArgs(fake));
  }

  @Test
  void forcedDeletePassesForce() throws IOException {
    FakeRunc fake = ok("");
    runc(fake).delete(ContainerRef.of("c1"), true);
    assertEquals(List.of("delete", "--force", "c1"), verbArgs(fake));
  }

  @Test
  void plainDeleteHasNoForce() throws IOException {
    FakeRunc fake = ok("");
    runc(fake).delete(ContainerRef.of("c1"), false);
    assertEquals(List.of("delete", "c1"), verbArgs(fake));
  }

  @Test
  void deleteOfAnUnknownContainerIsNotAnError() throws IOException {
    runc(FakeRunc.write(dir, NOT_EXIST, "", 1)).delete(ContainerRef.of("c1"), false);
  }

  @Test
  void stateParsesRuncsJson() throws IOException {
    String json =
        "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":4242,"
            + "\"status\":\"running\",\"bundle\":\"/b\",\"rootfs\":\"/b/rootfs\","
            + "\"created\":\"2026-11-23T16:28:46.284849964Z\"}";
    FakeRunc fake = ok(json);
    assertEquals(
        Optional.of(new RuncState("c1", "running", 4242, "2026-11-23T16:28:46.284849964Z")),
        runc(fake).state(ContainerRef.of("c1")));
    assertEquals(List.of("state", "c1"), verbArgs(fake));
  }

  @Test
  void stateOfAnUnknownContainerIsEmpty() throws IOException {
    assertEquals(
        Optional.empty(), runc(FakeRunc.write(dir, NOT_EXIST, "", 1)).state(ContainerRef.of("c1")));
  }

  @Test
  void unreadableStateOutputIsInternal() throws IOException {
    CorralException e =
        assertThrows(CorralException.class, () -> runc(ok("{oops")).state(ContainerRef.of("c1")));
    assertEquals(ErrorKind.INTERNAL, e.kind());
  }

  @Test
  void failureMessageIsTheLastLogLinesMsg() throws IOException {
    String log =
        "{\"level\":\"warning\",\"msg\":\"first\"}\n"
            + "{\"level\":\"error\",\"msg\":\"cannot start an already running container\"}";
    FakeRunc fake = FakeRunc.write(dir, log, "", 1);
    CorralException e =
        assertThrows(CorralException.class, () -> runc(fake).start(ContainerRef.of("c1")));
    assertEquals(
        "container c1: runc start: cannot start an already running container", e.getMessage());
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
  }

  @Test
  void unknownContainerIsNotFoundForStartAndKill() throws IOException {
    FakeRunc fake = FakeRunc.write(dir, NOT_EXIST, "", 1);
    CorralException e =
        assertThrows(CorralException.class, () -> runc(fake).kill(ContainerRef.of("c1"), 9, false));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals("container c1: runc kill: container does not exist", e.getMessage());
  }

  @Test
  void withoutALogLineTheLastStderrLineIsUsed() throws IOException {
    FakeRunc fake = FakeRunc.write(dir, "", "", "echo 'early' >&2; echo 'boom here' >&2", 2);
    CorralException e =
        assertThrows(CorralException.class, () -> runc(fake).start(ContainerRef.of("c1")));
    assertEquals("container c1: runc start: boom here", e.getMessage());
    assertEquals(ErrorKind.INTERNAL, e.kind());
  }

  @Test
  void withNothingToSayTheExitCodeIsReported() throws IOException {
    FakeRunc fake = FakeRunc.write(dir, "", "", 3);
    CorralException e =
        assertThrows(CorralException.class, () -> runc(fake).start(ContainerRef.of("c1")));
    assertEquals("container c1: runc start: exit status 3", e.getMessage());
  }

  @Test
  void aHangingRuncIsKilledAtTheTimeout() throws IOException {
    FakeRunc fake = FakeRunc.write(dir, "", "", "exec sleep 30", 0);
    Runc runc = new Runc(fake.binary, ns -> dir, Duration.ofMillis(300));
    long t0 = System.nanoTime();
    CorralException e =
        assertThrows(CorralException.class, () -> runc.start(ContainerRef.of("c1")));
    assertEquals(ErrorKind.DEADLINE_EXCEEDED, e.kind());
    assertEquals("container c1: runc start: timed out after 300 ms", e.getMessage());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
  }

  @Test
  void theLogIsReadFromAMemfdOnFd3AndNoFileIsMade() throws IOException {
    FakeRunc fake = FakeRunc.write(dir, NOT_EXIST, "", 1);
    CorralException e =
        assertThrows(CorralException.class, () -> runc(fake).start(ContainerRef.of("c1")));
    assertEquals(ErrorKind.NOT_FOUND, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertEquals("/proc/self/fd/3", fake.argv().get(5));
  }

  @Test
  void versionIsTheFirstLine() throws IOException {
    FakeRunc fake = ok("runc version 1.1.5+ds1\ncommit: x\nspec: 1.0.2-dev");
    assertEquals("runc version 1.1.5+ds1", runc(fake).version());
    assertEquals(List.of("--version"), fake.argv());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "container does not exist|NOT_FOUND",
        "container with id exists: c1|ALREADY_EXISTS",
        "container c1 already exists|ALREADY_EXISTS",
        "container not running|FAILED_PRECONDITION",
        "container c1 is paused|FAILED_PRECONDITION",
        "container not paused|FAILED_PRECONDITION",
        "cannot start a container that has stopped|FAILED_PRECONDITION",
        "cannot delete container c1 that is not stopped: container is running|FAILED_PRECONDITION",
        "unable to freeze|INTERNAL",
      })
  void runcMessagesAreClassified(String msg, ErrorKind kind) {
    assertEquals(kind, RuncErrors.kindOf(msg));
  }

  @Test
  void messageIsTakenFromRuncsLogfmtStderr() {
    String stderr =
        "time=\"2026-11-23T16:51:59Z\" level=warning msg=\"first\"\n"
            + "time=\"2026-11-23T16:51:59Z\" level=error msg=\"runc create failed: "
            + "exec: \\\"nosuch\\\": executable file not found in $PATH\"\n";
    assertEquals(
        "runc create failed: exec: \"nosuch\": executable file not found in $PATH",
        RuncErrors.fromStderr(stderr));
  }

  @Test
  void messageIsTakenFromJsonOrBareLogfmtOrPlainStderr() {
    assertEquals("boom", RuncErrors.fromStderr("{\"level\":\"error\",\"msg\":\"boom\"}\n"));
    assertEquals("boom", RuncErrors.fromStderr("level=error msg=boom"));
    assertEquals("just text", RuncErrors.fromStderr("  just text\n"));
  }
}
