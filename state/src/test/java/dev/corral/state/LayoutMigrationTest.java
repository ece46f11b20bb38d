package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void everyPathOfAV1ContainerReachesTheFileItsConmonUses() throws Exception {
    Path root = v1Root();
    StateDir dir = StateDir.open(root, tmp.resolve("state"));
    assertEquals(1, new LayoutMigration(dir).run());
    ContainerPaths p = dir.paths(ContainerRef.of("c1"));
    assertEquals("3", Files.readString(p.exitFile()));
    assertTrue(Files.readString(p.shim()).contains("conmonPid"));
    Path moved = root.resolve("namespaces/default/containers/c1/persist/exit");
    assertEquals(moved, p.exitFile().toRealPath());
    // The path its conmon was started with still reaches the same file.
    assertEquals(moved, root.resolve("containers/c1/persist/exit").toRealPath());
    assertEquals("out", Files.readString(p.execLog("e1")));
    assertEquals(
        "{\"id\":\"c1\"}", Files.readString(dir.runcRoot("default").resolve("c1/state.json")));
    Path link = dir.socketDir().resolve("0123456789abcdef");
    assertEquals(root.resolve("containers/c1/bundle"), Files.readSymbolicLink(link));
    assertTrue(Files.isDirectory(link));
    assertEquals("3", Files.readString(root.resolve("layout")).strip());
    assertFalse(Files.exists(root.resolve("runc")));
    assertFalse(Files.exists(root.resolve("sock")));
    assertTrue(dir.hasRuntimeState(ContainerRef.of("c1")));
    assertEquals(List.of(ContainerRef.of("c1")), dir.containerIds());
  }

  @Test
  void aSecondRunChangesNothingAndAnInterruptedOneIsFinished() throws Exception {
    Path root = v1Root();
    Path state = tmp.resolve("state");
    StateDir dir = StateDir.open(root, state);
    // As if the last start died after linking the container: the link is there, no version file.
    Files.createDirectories(state.resolve("containers"));
    Files.createSymbolicLink(state.resolve("containers/c1"), root.resolve("containers/c1"));
    assertEquals(1, new LayoutMigration(dir).run()); // into the default namespace
    assertTrue(Files.exists(dir.runcRoot("default").resolve("c1/state.json")));
    assertEquals(0, new LayoutMigration(dir).run());
    assertEquals("3", Files.readString(dir.paths(ContainerRef.of("c1")).exitFile()));
  }

  /** A root as the layout-2 daemon left it: records under ROOT, runtime files under STATE. */
  private StateDir v2Root(String... ids) throws IOException {
    Path root = tmp.resolve("root");
    Path state = tmp.resolve("state");
    for (String id : ids) {
      Files.createDirectories(root.resolve("containers").resolve(id));
      Files.writeString(root.resolve("containers").resolve(id).resolve("container.json"), "{}");
      Path persist =
          Files.createDirectories(state.resolve("containers").resolve(id).resolve("persist"));
      Files.writeString(persist.resolve("exit"), id);
      Files.createDirectories(state.resolve("runc").resolve(id));
      Files.writeString(state.resolve("runc").resolve(id).resolve("state.json"), "{}");
    }
    Files.writeString(Files.createDirectories(root).resolve("layout"), "2\n");
    return StateDir.open(root, state);
  }

  @Test
  void aV2RootMovesIntoTheDefaultNamespaceAndTheOldPathsStillResolve() throws Exception {
    // "default" as an id: the namespace level above containers/ keeps it apart from the namespace.
    StateDir dir = v2Root("c1", "default");
    assertEquals(2, new LayoutMigration(dir).run());
    assertEquals(List.of(ContainerRef.of("c1"), ContainerRef.of("default")), dir.containerIds());
    ContainerRef c1 = ContainerRef.of("c1");
    assertEquals("c1", Files.readString(dir.paths(c1).exitFile()));
    assertTrue(Files.isRegularFile(dir.paths(c1).metadata()));
    assertTrue(Files.isRegularFile(dir.runcRoot("default").resolve("default/state.json")));
    Path state = dir.state();
    assertEquals(
        dir.paths(c1).exitFile().toRealPath(),
        state.resolve("containers/c1/persist/exit").toRealPath());
    assertTrue(Files.isRegularFile(state.resolve("runc/c1/state.json")));
    assertTrue(Files.isRegularFile(dir.root().resolve("containers/c1/container.json")));
    assertEquals("3", Files.readString(dir.root().resolve("layout")).strip());
    assertEquals(0, new LayoutMigration(dir).run());
    assertEquals(List.of("default"), dir.namespaces());
  }

  @Test
  void aV2StepInterruptedBetweenTheRenameAndTheLinkIsFinished() throws Exception {
    StateDir dir = v2Root("c1");
    Path state = dir.state();
    Files.createDirectories(state.resolve("namespaces/default"));
    Files.move(state.resolve("containers"), state.resolve("namespaces/default/containers"));
    new LayoutMigration(dir).run();
    assertTrue(Files.isSymbolicLink(state.resolve("containers")));
    assertEquals("c1", Files.readString(state.resolve("containers/c1/persist/exit")));
    assertEquals("c1", Files.readString(dir.paths(ContainerRef.of("c1")).exitFile()));
  }

  @Test
  void aV2RootAfterARebootHasNothingToMoveOnTheStateSide() throws Exception {
    StateDir dir = v2Root("c1");
    StateDir.removeTree(dir.state().resolve("containers"));
    StateDir.removeTree(dir.state().resolve("runc"));
    new LayoutMigration(dir).run();
    assertEquals(List.of(ContainerRef.of("c1")), dir.containerIds());
    assertFalse(dir.hasRuntimeState(ContainerRef.of("c1")));
    assertFalse(
        Files.exists(dir.state().resolve("containers"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void deletingAMigratedContainerRemovesTheLinkAndTheOldDir() throws Exception {
    Path root = v1Root();
    StateDir dir = StateDir.open(root, tmp.resolve("state"));
    new LayoutMigration(dir).run();
    StateDir.empty(dir.moveToTrash(ContainerRef.of("c1")));
    assertFalse(Files.exists(root.resolve("containers/c1")));
    assertFalse(
        Files.exists(dir.runDir(ContainerRef.of("c1")), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(dir.runcRoot("default").resolve("c1")));
  }

  @Test
  void aFreshRootIsMarkedCurrentAndAnUnknownVersionIsRefused() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"), tmp.resolve("state"));
    assertEquals(0, new LayoutMigration(dir).run());
    assertEquals("3", Files.readString(dir.root().resolve("layout")).strip());
    Files.writeString(dir.root().resolve("layout"), "4\n");
    assertThrows(IOException.class, () -> new LayoutMigration(dir).run());
  }
}
