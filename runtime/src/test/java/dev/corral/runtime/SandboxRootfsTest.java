package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxRootfsTest {
  @TempDir Path dir;

  private Path fakeBinary(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private static Set<String> names(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void makesADirWithOnlyCatatonit0755AndTheMountPoints() throws Exception {
    Path bin = fakeBinary("catatonit", "v1");
    Path root = dir.resolve("state/sandbox-rootfs");
    assertEquals(root, SandboxRootfs.ensure(root, bin));
    assertEquals(Set.of("catatonit", "proc", "dev", "sys"), names(root));
    assertArrayEquals(Files.readAllBytes(bin), Files.readAllBytes(root.resolve("catatonit")));
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("catatonit"))));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
    assertEquals(Set.of("sandbox-rootfs"), names(dir.resolve("state")), "no temp dir left");
  }

  @Test
  void aSecondCallChangesNothing() throws Exception {
    Path bin = fakeBinary("catatonit", "v1");
    Path root = dir.resolve("rootfs");
    SandboxRootfs.ensure(root, bin);
    Object inode = Files.getAttribute(root.resolve("catatonit"), "unix:ino");
    SandboxRootfs.ensure(root, bin);
    assertEquals(inode, Files.getAttribute(root.resolve("catatonit"), "unix:ino"));
    assertEquals(Set.of("catatonit", "proc", "dev", "sys"), names(root));
  }

  @Test
  void aChangedBinaryIsReplacedByRenameAndMissingMountPointsComeBack() throws Exception {
    Path root = dir.resolve("rootfs");
    SandboxRootfs.ensure(root, fakeBinary("old", "v1"));
    Object oldInode = Files.getAttribute(root.resolve("catatonit"), "unix:ino");
    Files.delete(root.resolve("sys"));
    SandboxRootfs.ensure(root, fakeBinary("new", "v2"));
    assertEquals("v2", Files.readString(root.resolve("catatonit")));
    assertTrue(!oldInode.equals(Files.getAttribute(root.resolve("catatonit"), "unix:ino")));
    assertEquals(Set.of("catatonit", "proc", "dev", "sys"), names(root));
  }

  @Test
  void anEmptyExistingDirIsFilled() throws Exception {
    Path root = Files.createDirectory(dir.resolve("rootfs"));
    SandboxRootfs.ensure(root, fakeBinary("catatonit", "v1"));
    assertEquals(Set.of("catatonit", "proc", "dev", "sys"), names(root));
  }

  @Test
  void aMissingOrNonExecutableBinaryIsAFailedPrecondition() throws Exception {
    Path plain = dir.resolve("plain");
    Files.writeString(plain, "x");
    for (Path bad : List.of(dir.resolve("absent"), plain, dir)) {
      CorralException e =
          assertThrows(
              CorralException.class, () -> SandboxRootfs.ensure(dir.resolve("rootfs"), bad));
      assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
      assertTrue(e.getMessage().startsWith("catatonit: "), e.getMessage());
    }
    assertTrue(Files.notExists(dir.resolve("rootfs")));
  }
}
