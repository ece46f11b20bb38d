package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuncPauseUpdateTest {
  @TempDir Path dir;

  private Runc runc(FakeRunc fake) {
    return new Runc(fake.binary, ns -> Path.of("/r"), Duration.ofSeconds(10));
  }

  /** The argv after the global options and the per-call log. */
  private static List<String> verbArgs(FakeRunc fake) throws IOException {
    List<String> argv = fake.argv();
    return argv.subList(6, argv.size());
  }

  @Test
  void pauseAndResumeNameOnlyTheId() throws IOException {
    FakeRunc fake = FakeRunc.write(dir, "", "", 0);
    runc(fake).pause(ContainerRef.of("c1"));
    assertEquals(List.of("pause", "c1"), verbArgs(fake));
    runc(fake).resume(ContainerRef.of("c1"));
    assertEquals(List.of("resume", "c1"), verbArgs(fake));
  }

  @Test
  void updatePassesOnlyTheFieldsThatAreSet() throws IOException {
    FakeRunc fake = FakeRunc.write(dir, "", "", 0);
    runc(fake)
        .update(
            ContainerRef.of("c1"), new ResourceUpdate(64L << 20, null, 50_000L, 100_000L, null));
    assertEquals(
        List.of(
            "update",
            "--memory",
            "67108864",
            "--cpu-quota",
            "50000",
            "--cpu-period",
            "100000",
            "c1"),
        verbArgs(fake));
    runc(fake).update(ContainerRef.of("c1"), new ResourceUpdate(null, 512L, null, null, 20L));
    assertEquals(
        List.of("update", "--cpu-share", "512", "--pids-limit", "20", "c1"), verbArgs(fake));
  }

  @Test
  void pauseOfAPausedContainerIsAPreconditionFailureWithRuncsText() throws IOException {
    FakeRunc fake =
        FakeRunc.write(dir, "{\"level\":\"error\",\"msg\":\"container not running\"}", "", 1);
    CorralException e =
        assertThrows(CorralException.class, () -> runc(fake).pause(ContainerRef.of("c1")));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    assertEquals("container c1: runc pause: container not running", e.getMessage());
  }

  @Test
  void invalidResourcesNameTheirField() {
    assertEquals("body: names no resource to update", message(null, null, null, null, null));
    assertEquals(
        "memory.limit: 100 is below the minimum 1048576", message(100L, null, null, null, null));
    assertEquals("cpu.shares: 1 is not in 2..262144", message(null, 1L, null, null, null));
    assertEquals(
        "cpu.quota: 0 is below the minimum 1000 (or -1: unlimited)",
        message(null, null, 0L, null, null));
    assertEquals("cpu.period: 999 is not in 1000..1000000", message(null, null, null, 999L, null));
    assertEquals(
        "pids.limit: -2 is below the minimum 1 (or -1: unlimited)",
        message(null, null, null, null, -2L));
    assertEquals(
        List.of("--pids-limit", "-1", "c1"),
        new ResourceUpdate(null, null, null, null, -1L).args("c1"));
  }

  private static String message(Long mem, Long shares, Long quota, Long period, Long pids) {
    CorralException e =
        assertThrows(
            CorralException.class, () -> new ResourceUpdate(mem, shares, quota, period, pids));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    return e.getMessage();
  }

  @Test
  void checkpointPassesItsOptionsAndTheImageDirAsWorkDir() throws IOException {
    FakeRunc fake = FakeRunc.write(dir, "", "", 0);
    Path images = dir.resolve("cp1");
    runc(fake)
        .checkpoint(ContainerRef.of("c1"), images, new CheckpointOptions(true, true, true, true));
    assertEquals(
        List.of(
            "checkpoint",
            "--image-path",
            images.toString(),
            "--work-path",
            images.toString(),
            "--leave-running",
            "--tcp-established",
            "--ext-unix-sk",
            "--shell-job",
            "c1"),
        verbArgs(fake));
  }

  @Test
  void aCriuFailureCarriesCriusOwnReasonFromItsLog() throws IOException {
    Path images = java.nio.file.Files.createDirectories(dir.resolve("cp1"));
    String log =
        "{\"level\":\"error\",\"msg\":\"criu failed: type DUMP errno 0\\nlog file: "
            + images
            + "/dump.log\"}";
    String dumpLog =
        "printf '%s\\n' '(00.02) Error (criu/util.c:642): exited, status=1'"
            + " '(00.14) Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds'"
            + " > '"
            + images
            + "/dump.log'";
    FakeRunc fake = FakeRunc.write(dir, log, "", dumpLog, 1);
    CorralException e =
        assertThrows(
            CorralException.class,
            () ->
                runc(fake)
                    .checkpoint(
                        ContainerRef.of("c1"),
                        images,
                        new CheckpointOptions(false, false, false, false)));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    assertEquals(
        "container c1: runc checkpoint: criu failed: type DUMP errno 0;"
            + " criu: vdso: Unexpected rt vDSO area bounds",
        e.getMessage());
  }

  @Test
  void criuLogReasonSkipsHelperExitLines() {
    assertEquals(
        "vdso: Unexpected rt vDSO area bounds",
        CriuLog.reason(
            "(0.1) Error (criu/util.c:642): exited, status=1\n"
                + "(0.2) Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds\n"
                + "(0.3) Error (criu/vdso.c:613): vdso: Failed to fill self vdso symtable\n"));
    assertEquals(null, CriuLog.reason("(0.1) Dumping finished successfully\n"));
  }
}
