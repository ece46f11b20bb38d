package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.state.ContainerRecord;
import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.thread.LoopGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots reach the writer thread only at the end of the batch, after the journal write. */
class StatusWriterTest {
  @TempDir Path tmp;

  @Test
  void writesWaitForTheEndOfTheBatchAndKeepTheirOrder() throws Exception {
    new LoopGuard().bindToCurrentThread(); // the test thread drives the loop, as Harness does
    StateDir state = StateDir.open(tmp);
    state.create(
        new ContainerRecord(
            "c1", "/b", Map.of(), false, false, List.of(), "2026-11-23T00:00:00Z", null, null));
    List<Runnable> handedOver = new ArrayList<>();
    StatusWriter w = new StatusWriter(state, handedOver::add);
    w.write(ContainerRef.of("c1"), new StatusRecord("running", 7, 8, 9, null, -1, null, null));
    w.write(ContainerRef.of("c1"), new StatusRecord("stopped", 7, 8, 9, null, 3, null, null));
    assertTrue(handedOver.isEmpty(), "a snapshot left the loop before its batch ended");
    assertFalse(Files.exists(state.paths(ContainerRef.of("c1")).status()));

    w.flush();
    assertEquals(1, handedOver.size(), "one hand-over per batch");
    handedOver.get(0).run();
    assertEquals("stopped", state.readStatus(ContainerRef.of("c1")).status());
    w.flush();
    assertEquals(1, handedOver.size(), "an empty batch hands nothing over");
  }
}
