package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The split of a container between --root and --state, the trash, and the start-up sweep. */
class StateLayoutTest {
  @TempDir Path tmp;

  private StateDir open() throws Exception {
    return StateDir.open(tmp.resolve("root"), tmp.resolve("state"));
  }

  private static ContainerRecord record(String id) {
    return new ContainerRecord(
        id, "/b", Map.of(), false, false, List.of(), "2026-11-23T16:28:46.284849964Z", null, null);
  }

  @Test
  void recordsAndLogsLieInTheRootAndShimFilesInTheState() throws Exception {
    StateDir dir = open();
    ContainerPaths p = dir.create(record("c1"));
    Path root = tmp.resolve("root/namespaces/default/containers/c1");
    Path run = tmp.resolve("state/namespaces/default/containers/c1");
    assertEquals(root.resolve("container.json"), p.metadata());
    assertTrue(Files.exists(p.metadata()));
    assertEquals(root.resolve("container.log"), p.log());
    assertEquals(root.resolve("execs/e1/exec.log"), p.execLog("e1"));
    assertEquals(run.resolve("shim.json"), p.shim());
    assertTrue(Files.isDirectory(run.resolve("bundle")));
    assertEquals(tmp.resolve("state/namespaces/default/runc"), dir.runcRoot("default"));
    assertEquals(tmp.resolve("state/sock"), dir.socketDir());
    assertTrue(dir.hasRuntimeState(ContainerRef.of("c1")));
  }

  @Test
  void aCreateOfAnIdWhoseRuntimeDirExistsIsRefusedAndWritesNothing() throws Exception {
    StateDir dir = open();
    Files.createDirectories(dir.runDir(ContainerRef.of("c1")));
    assertThrows(CorralException.class, () -> dir.create(record("c1")));
    assertFalse(Files.exists(dir.containerDir(ContainerRef.of("c1"))));
  }

  @Test
  void aRuntimeDirThatIsGoneMeansTheHostRestarted() throws Exception {
    StateDir dir = open();
    dir.create(record("c1"));
    StateDir.removeTree(tmp.resolve("state"));
    StateDir again = open();
    assertFalse(again.hasRuntimeState(ContainerRef.of("c1")));
    assertEquals(List.of(ContainerRef.of("c1")), again.containerIds());
  }

  @Test
  void moveToTrashFreesTheIdAtOnceAndTakesRuncStateAlong() throws Exception {
    StateDir dir = open();
    dir.create(record("c1"));
    Files.createDirectories(dir.runcRoot("default").resolve("c1"));
    Files.writeString(dir.runcRoot("default").resolve("c1/state.json"), "{}");
    StateDir.Trash t = dir.moveToTrash(ContainerRef.of("c1"));
    assertFalse(Files.exists(dir.containerDir(ContainerRef.of("c1"))));
    assertFalse(Files.exists(dir.runDir(ContainerRef.of("c1"))));
    assertFalse(Files.exists(dir.runcRoot("default").resolve("c1")));
    assertTrue(Files.exists(t.runcRoot().resolve("c1/state.json")));
    dir.create(record("c1"));
    StateDir.empty(t);
    assertFalse(Files.exists(t.rootEntry()));
    assertFalse(Files.exists(t.stateEntry()));
    assertTrue(Files.exists(dir.paths(ContainerRef.of("c1")).metadata()));
  }

  @Test
  void theStartUpSweepEmptiesTrashTmpAndRuntimeDirsWithoutRecord() throws Exception {
    StateDir dir = open();
    dir.create(record("kept"));
    dir.create(record("gone"));
    dir.moveToTrash(ContainerRef.of("gone"));
    Files.writeString(dir.tmpDir().resolve("leftover.log"), "x");
    Files.createDirectories(dir.runDir(ContainerRef.of("halfmade")).resolve("bundle"));
    assertEquals(4, open().sweepLeftovers());
    assertTrue(Files.exists(dir.paths(ContainerRef.of("kept")).metadata()));
    assertTrue(Files.isDirectory(dir.runDir(ContainerRef.of("kept"))));
    assertFalse(Files.exists(dir.runDir(ContainerRef.of("halfmade"))));
    for (Path d :
        List.of(dir.tmpDir(), dir.root().resolve("trash"), dir.state().resolve("trash"))) {
      try (var s = Files.list(d)) {
        assertEquals(0, s.count(), d.toString());
      }
    }
  }

  @Test
  void removeTreeRemovesASymlinkNotWhatItPointsTo() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("target"));
    Files.writeString(target.resolve("f"), "x");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    StateDir.removeTree(link);
    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(target.resolve("f")));
    Files.createSymbolicLink(link, tmp.resolve("nowhere"));
    StateDir.removeTree(link);
    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
  }
}
