package dev.corral.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class DiskFullTest {
  @Test
  void aFileSystemExceptionForENOSPCIsNamedWithItsPath() {
    IOException e =
        new FileSystemException("/r/containers/c1/meta.json", null, "No space left on device");
    assertEquals(
        "/r/containers/c1/meta.json: no space left on device (ENOSPC)", DiskFull.describe(e));
  }

  @Test
  void aPlainWriteErrorDeepInTheCauseChainCounts() {
    Throwable t =
        new RuntimeException(new UncheckedIOException(new IOException("No space left on device")));
    assertTrue(DiskFull.is(t));
    assertEquals("no space left on device (ENOSPC)", DiskFull.describe(t));
  }

  @Test
  void runcsGoWordingCounts() {
    assertTrue(DiskFull.said("open /r/runc/c1/state.json: no space left on device"));
    assertFalse(DiskFull.said("container not running"));
  }

  @Test
  void otherIoErrorsAreNotAFullDisk() {
    assertFalse(DiskFull.is(new IOException("Input/output error")));
    assertNull(DiskFull.describe(new IllegalStateException("No space left on device")));
  }

  @Test
  void wrapAndInternalTurnAFullDiskInto507sKindWithThePathInTheMessage() {
    IOException e = new FileSystemException("/r/c1/persist", null, "No space left on device");
    CorralException w = CorralException.wrap(e, "container c1: start");
    assertEquals(ErrorKind.INSUFFICIENT_STORAGE, w.kind());
    assertEquals(
        "container c1: start: /r/c1/persist: no space left on device (ENOSPC)", w.getMessage());
    CorralException i = CorralException.internal(e, "container %s: create dirs: %s", "c1", e);
    assertEquals(ErrorKind.INSUFFICIENT_STORAGE, i.kind());
    assertEquals(
        "container c1: create dirs: /r/c1/persist: no space left on device (ENOSPC)",
        i.getMessage());
    assertEquals(ErrorKind.INTERNAL, CorralException.internal(new IOException("EIO"), "x").kind());
  }
}
