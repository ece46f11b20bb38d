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
}
