package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {
  @TempDir Path tmp;

  private static ContainerRecord record(String id) {
    return new ContainerRecord(
        id,
        "/b",
        Map.of("app", "web"),
        false,
        false,
        List.of(),
        "2026-11-23T16:28:46.284849964Z",
        null,
        null);
  }

  @Test
  void rootAndContainerDirsArePrivate() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"));
    ContainerPaths p = dir.create(record("c1"));
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.root())));
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p.dir())));
    assertTrue(Files.isDirectory(p.persist()));
  }

  @Test
  void metadataAndStatusRoundTrip() throws Exception {
    StateDir dir = StateDir.open(tmp);
    dir.create(record("c1"));
    StatusRecord s = new StatusRecord("running", 42, 41, 12345L, "t0", -1, null, null);
    dir.writeStatus(ContainerRef.of("c1"), s);
    assertEquals(record("c1"), dir.readMetadata(ContainerRef.of("c1")));
    assertEquals(s, dir.readStatus(ContainerRef.of("c1")));
  }

  @Test
  void secondCreateOfSameIdIsAlreadyExists() throws Exception {
    StateDir dir = StateDir.open(tmp);
    dir.create(record("c1"));
    CorralException e = assertThrows(CorralException.class, () -> dir.create(record("c1")));
    assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
  }

  @Test
  void invalidIdNeverBecomesAPath() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"));
    // A ref cannot hold an unchecked name; the check with the field's name comes before it.
    assertThrows(IllegalArgumentException.class, () -> ContainerRef.of("../x"));
    assertThrows(IllegalArgumentException.class, () -> new ContainerRef("../n", "x"));
    assertThrows(CorralException.class, () -> dir.runcRoot("../n"));
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  @Test
  void removeDeletesTheTreeAndListingSkipsForeignNames() throws Exception {
    StateDir dir = StateDir.open(tmp);
    dir.create(record("c1"));
    dir.create(record("c2"));
    Files.createDirectory(tmp.resolve("namespaces/default/containers").resolve(".junk"));
    Files.createDirectory(tmp.resolve("namespaces").resolve(".junk"));
    dir.remove(ContainerRef.of("c1"));
    assertEquals(List.of(ContainerRef.of("c2")), dir.containerIds());
  }

  @Test
  void shimRecordRoundTripsAndIsAbsentBeforeCreateFinished() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"));
    dir.create(record("c1"));
    assertTrue(dir.readShim(ContainerRef.of("c1")).isEmpty());
    dir.writeShim(ContainerRef.of("c1"), new ShimRecord(10, 12345L, 11));
    assertEquals(new ShimRecord(10, 12345L, 11), dir.readShim(ContainerRef.of("c1")).orElseThrow());
    assertFalse(dir.readShim(ContainerRef.of("c1")).orElseThrow().initStartKnown());
  }

  @Test
  void theInitsStartTimeIsKeptAndARecordFromBeforeItReadsAsUnknown() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"));
    ContainerPaths p = dir.create(record("c1"));
    dir.writeShim(ContainerRef.of("c1"), new ShimRecord(10, 12345L, 11, 67890L));
    ShimRecord r = dir.readShim(ContainerRef.of("c1")).orElseThrow();
    assertEquals(67890L, r.initStartTime());
    assertTrue(r.initStartKnown());
    // shim.json as an older corrald wrote it
    Files.writeString(p.shim(), "{\"conmonPid\":10,\"conmonStartTime\":12345,\"initPid\":11}");
    r = dir.readShim(ContainerRef.of("c1")).orElseThrow();
    assertEquals(new ShimRecord(10, 12345L, 11), r);
    assertFalse(r.initStartKnown());
  }

  @Test
  void shimRecordWithImpossiblePidsIsUnreadable() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"));
    ContainerPaths p = dir.create(record("c1"));
    Files.writeString(p.shim(), "{\"conmonPid\": 0, \"initPid\": 5}");
    assertThrows(java.io.IOException.class, () -> dir.readShim(ContainerRef.of("c1")));
    Files.writeString(p.shim(), "{\"conmonPid\": 4");
    assertThrows(java.io.IOException.class, () -> dir.readShim(ContainerRef.of("c1")));
  }

  @Test
  void quarantineMovesTheWholeDirectoryAside() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"));
    dir.create(record("c1"));
    Path moved = dir.quarantine(ContainerRef.of("c1"), 42);
    assertEquals(dir.root().resolve("quarantine/default/c1-42"), moved);
    assertTrue(Files.exists(moved.resolve("container.json")));
    assertEquals(List.of(), dir.containerIds());
  }

  @Test
  void theSameIdInTwoNamespacesHasTwoSeparateDirectories() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"), tmp.resolve("state"));
    ContainerRecord a = record("c1");
    ContainerRecord b =
        new ContainerRecord(
            "c1",
            "/b",
            Map.of(),
            false,
            false,
            List.of(),
            a.createdAt(),
            "team",
            "/corral/team/c1");
    ContainerPaths pa = dir.create(a);
    ContainerPaths pb = dir.create(b);
    assertEquals(tmp.resolve("root/namespaces/team/containers/c1"), pb.dir());
    assertEquals(tmp.resolve("state/namespaces/team/containers/c1"), pb.run());
    assertEquals(tmp.resolve("state/namespaces/team/runc"), dir.runcRoot("team"));
    assertTrue(Files.isDirectory(dir.runcRoot("team")));
    assertFalse(pa.dir().equals(pb.dir()));
    assertEquals("team", dir.readMetadata(new ContainerRef("team", "c1")).namespace());
    assertEquals(
        List.of(ContainerRef.of("c1"), new ContainerRef("team", "c1")), dir.containerIds());
    assertEquals(List.of("default", "team"), dir.namespaces());
  }

  @Test
  void aNamespaceIsRemovedOnlyWhenEmpty() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"), tmp.resolve("state"));
    ContainerRecord b =
        new ContainerRecord(
            "c1", "/b", Map.of(), false, false, List.of(), record("x").createdAt(), "team", null);
    dir.create(b);
    ContainerRef ref = new ContainerRef("team", "c1");
    assertThrows(java.nio.file.DirectoryNotEmptyException.class, () -> dir.removeNamespace("team"));
    dir.remove(ref);
    dir.removeNamespace("team");
    assertEquals(List.of(), dir.namespaces());
    assertFalse(Files.exists(tmp.resolve("state/namespaces/team")));
    dir.removeNamespace("team"); // absent is fine
  }

  @Test
  void aRecordFromBeforeNamespacesReadsAsTheDefaultOne() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"), tmp.resolve("state"));
    ContainerPaths p = dir.create(record("c1"));
    Files.writeString(
        p.metadata(),
        "{\"id\":\"c1\",\"labels\":{},\"runtimeArgs\":[],\"createdAt\":\"2026-11-23T16:28:46Z\"}");
    ContainerRecord r = dir.readMetadata(ContainerRef.of("c1"));
    assertEquals("default", r.namespace());
    assertEquals("/corral/c1", r.cgroupsPath("/corral"));
  }

  @Test
  void aContainerWhoseStateARebootEmptiedGetsItsBundleBackFromTheSavedSpec() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"), tmp.resolve("state"));
    ContainerPaths p = dir.create(record("c1"));
    Files.writeString(p.bundle().resolve("config.json"), "{\"ociVersion\":\"1.0.2\"}");
    Files.writeString(p.savedSpec(), "{\"ociVersion\":\"1.0.2\"}");
    StateDir.removeTree(tmp.resolve("state"));
    StateDir again = StateDir.open(tmp.resolve("root"), tmp.resolve("state"));
    assertFalse(again.hasRuntimeState(ContainerRef.of("c1")));
    again.restoreRuntimeDir(ContainerRef.of("c1"));
    assertEquals("{\"ociVersion\":\"1.0.2\"}", Files.readString(p.bundle().resolve("config.json")));
    assertTrue(Files.isDirectory(p.persist()) && Files.isDirectory(p.exits()));
    assertTrue(Files.isDirectory(again.runcRoot("default")));
    Files.delete(p.savedSpec());
    StateDir.removeTree(p.run());
    assertThrows(
        java.nio.file.NoSuchFileException.class,
        () -> again.restoreRuntimeDir(ContainerRef.of("c1")));
  }
}
