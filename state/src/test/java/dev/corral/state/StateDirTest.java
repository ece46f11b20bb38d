package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        id, "/b", Map.of("app", "web"), false, false, List.of(), "2026-11-23T16:28:46.284849964Z");
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
    dir.writeStatus("c1", s);
    assertEquals(record("c1"), dir.readMetadata("c1"));
    assertEquals(s, dir.readStatus("c1"));
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
    assertThrows(CorralException.class, () -> dir.containerDir("../x"));
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  @Test
  void removeDeletesTheTreeAndListingSkipsForeignNames() throws Exception {
    StateDir dir = StateDir.open(tmp);
    dir.create(record("c1"));
    dir.create(record("c2"));
    Files.createDirectory(tmp.resolve("containers").resolve(".junk"));
    dir.remove("c1");
    assertEquals(List.of("c2"), dir.containerIds());
  }

  @Test
  void shimRecordRoundTripsAndIsAbsentBeforeCreateFinished() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"));
    dir.create(record("c1"));
    assertTrue(dir.readShim("c1").isEmpty());
    dir.writeShim("c1", new ShimRecord(10, 12345L, 11));
    assertEquals(new ShimRecord(10, 12345L, 11), dir.readShim("c1").orElseThrow());
  }

  @Test
  void shimRecordWithImpossiblePidsIsUnreadable() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"));
    ContainerPaths p = dir.create(record("c1"));
    Files.writeString(p.shim(), "{\"conmonPid\": 0, \"initPid\": 5}");
    assertThrows(java.io.IOException.class, () -> dir.readShim("c1"));
    Files.writeString(p.shim(), "{\"conmonPid\": 4");
    assertThrows(java.io.IOException.class, () -> dir.readShim("c1"));
  }

  @Test
  void quarantineMovesTheWholeDirectoryAside() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("root"));
    dir.create(record("c1"));
    Path moved = dir.quarantine("c1", 42);
    assertEquals(dir.root().resolve("quarantine/c1-42"), moved);
    assertTrue(Files.exists(moved.resolve("container.json")));
    assertEquals(List.of(), dir.containerIds());
  }
}
