package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A v1 root (everything under --root) brought to the v2 layout without moving a live file. */
class LayoutMigrationTest {
  @TempDir Path tmp;

  /** What a v1 daemon leaves for one container: its dir, runc's state, conmon's socket link. */
  private Path v1Root() throws IOException {
    Path root = tmp.resolve("root");
    Path c = Files.createDirectories(root.resolve("containers/c1"));
    Files.writeString(c.resolve("container.json"), "{}");
    Files.writeString(c.resolve("shim.json"), "{\"conmonPid\": 1}");
    Files.createDirectories(c.resolve("bundle"));
    Files.createDirectories(c.resolve("persist"));
    Files.writeString(c.resolve("persist/exit"), "3");
    Files.createDirectories(c.resolve("execs/e1"));
    Files.writeString(c.resolve("execs/e1/exec.log"), "out");
    Files.createDirectories(root.resolve("runc/c1"));
    Files.writeString(root.resolve("runc/c1/state.json"), "{\"id\":\"c1\"}");
    Files.createDirectories(root.resolve("sock"));
    Files.createSymbolicLink(root.resolve("sock/0123456789abcdef"), c.resolve("bundle"));
    return root;
  }

  @Test
  void everyV2PathOfAV1ContainerReachesTheFileItsConmonUses() throws Exception {
    Path root = v1Root();
    StateDir dir = StateDir.open(root, tmp.resolve("state"));
    assertEquals(1, new LayoutMigration(dir).run());
    ContainerPaths p = dir.paths("c1");
    assertEquals("3", Files.readString(p.exitFile()));
    assertTrue(Files.readString(p.shim()).contains("conmonPid"));
    assertEquals(root.resolve("containers/c1/persist/exit"), p.exitFile().toRealPath());
    assertEquals("out", Files.readString(p.execLog("e1")));
    assertEquals("{\"id\":\"c1\"}", Files.readString(dir.runcRoot().resolve("c1/state.json")));
    assertEquals(
        root.resolve("containers/c1/bundle"),
        Files.readSymbolicLink(dir.socketDir().resolve("0123456789abcdef")));
    assertEquals("2", Files.readString(root.resolve("layout")).strip());
    assertFalse(Files.exists(root.resolve("runc")));
    assertFalse(Files.exists(root.resolve("sock")));
    assertTrue(dir.hasRuntimeState("c1"));
  }

  @Test
  void aSecondRunChangesNothingAndAnInterruptedOneIsFinished() throws Exception {
    Path root = v1Root();
    StateDir dir = StateDir.open(root, tmp.resolve("state"));
    // As if the last start died after linking the container: the link is there, no version file.
    Files.createSymbolicLink(dir.runDir("c1"), root.resolve("containers/c1"));
    assertEquals(0, new LayoutMigration(dir).run());
    assertTrue(Files.exists(dir.runcRoot().resolve("c1/state.json")));
    assertEquals(0, new LayoutMigration(dir).run());
    assertEquals("3", Files.readString(dir.paths("c1").exitFile()));
  }

  @Test
  void deletingAMigratedContainerRemovesTheLinkAndTheOldDir() throws Exception {
    Path root = v1Root();
    StateDir dir = StateDir.open(root, tmp.resolve("state"));
    new LayoutMigration(dir).run();
    StateDir.empty(dir.moveToTrash("c1"));
    assertFalse(Files.exists(root.resolve("containers/c1")));
    assertFalse(Files.exists(dir.runDir("c1"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(dir.runcRoot().resolve("c1")));
  }

  @Test
  void aFreshRootIsMarkedV2AndAnUnknownVersionIsRefused() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"), tmp.resolve("state"));
    assertEquals(0, new LayoutMigration(dir).run());
    assertEquals("2", Files.readString(dir.root().resolve("layout")).strip());
    Files.writeString(dir.root().resolve("layout"), "3\n");
    assertThrows(IOException.class, () -> new LayoutMigration(dir).run());
  }
}
