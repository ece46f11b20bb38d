package dev.corral.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v1 rule: the eventfd also fires on cgroup removal, so only a rising oom_kill counts. */
class OomConfirmTest {
  @TempDir Path dir;

  @Test
  void aRisingOomKillCountIsAKill() {
    assertTrue(OomConfirm.confirmed(0, OptionalLong.of(1), false));
    assertTrue(OomConfirm.confirmed(2, OptionalLong.of(3), false));
  }

  @Test
  void anUnchangedCountOrARemovedCgroupIsNotAKill() {
    assertFalse(OomConfirm.confirmed(0, OptionalLong.of(0), false));
    assertFalse(OomConfirm.confirmed(1, OptionalLong.of(1), false));
    assertFalse(OomConfirm.confirmed(0, OptionalLong.empty(), false)); // rmdir woke the eventfd
  }

  @Test
  void conmonsOomFileIsAKillEvenWhenTheCgroupIsGone() {
    assertTrue(OomConfirm.confirmed(0, OptionalLong.empty(), true));
  }

  @Test
  void readsOomKillFromV1OomControl() throws Exception {
    Path cg = Files.createDirectories(dir.resolve("cg"));
    Files.writeString(
        cg.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 4\n");
    OomWatch w = new OomWatch(ContainerRef.of("c1"), cg, dir.resolve("persist"));
    assertEquals(OptionalLong.of(4), OomConfirm.oomKills(w));
    assertTrue(OomConfirm.confirmed(w, 3));
    assertFalse(OomConfirm.confirmed(w, 4));
  }

  @Test
  void aMissingCgroupReadsAsUnknown() {
    OomWatch w = new OomWatch(ContainerRef.of("c1"), dir.resolve("gone"), dir.resolve("persist"));
    assertEquals(OptionalLong.empty(), OomConfirm.oomKills(w));
  }

  @Test
  void theCounterIsTakenFromItsOwnLineOnly() {
    String v2 = "low 0\nhigh 0\nmax 3\noom 2\noom_kill 1\noom_group_kill 0\n";
    assertEquals(1, OomConfirm.field(v2, "oom_kill"));
    assertEquals(4, OomConfirm.field("oom_kill_disable 0\nunder_oom 0\noom_kill 4", "oom_kill"));
    assertEquals(7, OomConfirm.field("  oom_kill\t 7 \n", "oom_kill"));
    assertEquals(0, OomConfirm.field("oom_kill_disable 1\nunder_oom 0\n", "oom_kill"));
    assertEquals(0, OomConfirm.field("oom_kill 5 6\n", "oom_kill"));
    assertEquals(0, OomConfirm.field("", "oom_kill"));
  }
}
