package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.runtime.Created;
import dev.corral.state.ContainerRecord;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.recovery.CgroupFreezer;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.thread.LoopGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupFreezerTest {
  @TempDir Path root;

  private void write(String rel, String content) throws Exception {
    Path f = root.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  @Test
  void v1FreezerStateFrozenMeansPaused() throws Exception {
    write("freezer/corral/c1/freezer.state", "FROZEN\n");
    write("freezer/corral/c2/freezer.state", "THAWED\n");
    assertTrue(CgroupFreezer.frozen(root, "/corral/c1"));
    assertFalse(CgroupFreezer.frozen(root, "/corral/c2"));
  }

  @Test
  void v2CgroupFreezeOneMeansPaused() throws Exception {
    write("corral/c1/cgroup.freeze", "1\n");
    write("corral/c2/cgroup.freeze", "0\n");
    assertTrue(CgroupFreezer.frozen(root, "/corral/c1"));
    assertFalse(CgroupFreezer.frozen(root, "/corral/c2"));
  }

  @Test
  void aMissingCgroupIsNotPaused() {
    assertFalse(CgroupFreezer.frozen(root, "/corral/gone"));
  }

  @Test
  void aRecoveredFrozenContainerIsPausedAndCanBeResumed() {
    new LoopGuard().bindToCurrentThread(); // a Container is loop-confined: this thread is the loop
    ContainerRecord meta =
        new ContainerRecord(
            "c1", "/b", Map.of(), false, false, List.of(), "2026-11-23T00:00:00Z", null, null);
    RecoveredContainer r =
        new RecoveredContainer(meta, new Created(10, 9, 1), Instant.now(), null, false, true);
    Container c = Container.recovered(r);
    assertEquals(ContainerStatus.PAUSED, c.status());
    c.resumed();
    assertEquals(ContainerStatus.RUNNING, c.status());
  }
}
