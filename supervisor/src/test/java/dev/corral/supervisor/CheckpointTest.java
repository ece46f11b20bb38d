package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.task.CheckpointRequest;
import dev.corral.supervisor.task.CheckpointView;
import dev.corral.supervisor.task.CreateCheckpointTask;
import dev.corral.supervisor.task.DeleteCheckpointTask;
import dev.corral.supervisor.task.ListCheckpointsTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  private static final Duration T = Duration.ofSeconds(1);
  private static final CheckpointRequest LEAVE = new CheckpointRequest(true, false, false, false);
  @TempDir Path tmp;
  Harness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    h.startRunning("c1", Harness.bundle(tmp.resolve("bundle")));
    h.eventTypes();
  }

  private Reply<CheckpointView> checkpoint(String name) {
    CreateCheckpointTask t =
        new CreateCheckpointTask(ContainerRef.of("c1"), name, LEAVE, new Reply<>());
    h.handle(t);
    h.settle();
    return t.reply();
  }

  private List<CheckpointView> list() {
    ListCheckpointsTask t = new ListCheckpointsTask(ContainerRef.of("c1"), new Reply<>());
    h.handle(t);
    h.settle();
    return t.reply().await(T);
  }

  @Test
  void aCheckpointIsAnImageDirAnEventAndAListEntryUntilDeleted() throws Exception {
    CheckpointView v = checkpoint("cp1").await(T);
    assertEquals("cp1", v.name());
    assertEquals(h.state.paths(ContainerRef.of("c1")).checkpoint("cp1").toString(), v.path());
    assertTrue(h.runtime.calls.contains("checkpoint c1 cp1 --leave-running"));
    assertEquals(List.of("checkpoint"), h.eventTypes());
    assertEquals(List.of("cp1"), list().stream().map(CheckpointView::name).toList());

    CorralException dup = assertThrows(CorralException.class, () -> checkpoint("cp1").await(T));
    assertEquals(ErrorKind.ALREADY_EXISTS, dup.kind());

    DeleteCheckpointTask d = new DeleteCheckpointTask(ContainerRef.of("c1"), "cp1", new Reply<>());
    h.handle(d);
    h.settle();
    d.reply().await(T);
    assertEquals(List.of(), list());
  }

  @Test
  void aCriuFailureIsTheCallersErrorAndLeavesNothing() throws Exception {
    h.runtime.failCheckpoint =
        CorralException.failedPrecondition(
            "container c1: runc checkpoint: criu failed; criu: vdso: Unexpected rt vDSO area bounds");
    CorralException e = assertThrows(CorralException.class, () -> checkpoint("cp1").await(T));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    assertTrue(e.getMessage().endsWith("Unexpected rt vDSO area bounds"), e.getMessage());
    assertFalse(Files.exists(h.state.paths(ContainerRef.of("c1")).checkpoint("cp1")));
    assertEquals(List.of(), h.eventTypes());
    assertEquals(List.of(), list());
  }

  @Test
  void aStoppedContainerCannotBeCheckpointed() {
    h.exit("c1", 0);
    CorralException e = assertThrows(CorralException.class, () -> checkpoint("cp1").await(T));
    assertEquals("container c1: is stopped, not running", e.getMessage());
  }
}
