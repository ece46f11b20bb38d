package dev.corral.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForbiddenPathsTest {
  @TempDir Path dir;
  Path root;
  ForbiddenPaths forbidden;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(dir.resolve("root/containers/c1"));
    root = dir.resolve("root");
    forbidden = new ForbiddenPaths(List.of(root));
  }

  private void assertRefused(Path p) {
    CorralException e = assertThrows(CorralException.class, () -> forbidden.check("rootfs", p));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().startsWith("rootfs: " + p + " is inside"), e.getMessage());
  }

  @Test
  void theRootItselfAndEverythingBelowItAreRefused() {
    assertRefused(root);
    assertRefused(root.resolve("containers/c1"));
    assertRefused(root.resolve("containers/not-yet/rootfs"));
  }

  @Test
  void dotDotThatClimbsBackInIsRefused() {
    assertRefused(dir.resolve("elsewhere/../root/containers"));
  }

  @Test
  void aSymlinkIntoTheRootIsRefusedWhereverItSits() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("innocent"), root.resolve("containers"));
    assertRefused(link);
    assertRefused(link.resolve("c1/rootfs"));
  }

  @Test
  void aRootGivenThroughASymlinkIsRecognisedByItsRealPath() throws Exception {
    Path alias = Files.createSymbolicLink(dir.resolve("alias"), root);
    ForbiddenPaths viaAlias = new ForbiddenPaths(List.of(alias));
    assertThrows(CorralException.class, () -> viaAlias.check("bundle", root.resolve("x")));
  }

  @Test
  void pathsOutsideAndSiblingsWithTheSamePrefixPass() throws Exception {
    Path sibling = Files.createDirectories(dir.resolve("root2/rootfs"));
    assertEquals(sibling, forbidden.check("rootfs", sibling));
    assertEquals(dir.resolve("bundle"), forbidden.check("bundle", dir.resolve("bundle")));
    assertEquals(null, forbidden.check("checkpoint", null));
  }
}
