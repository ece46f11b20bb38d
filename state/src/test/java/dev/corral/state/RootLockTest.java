package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootLockTest {
  @TempDir Path root;

  @Test
  void aHeldRootIsRefusedNamingTheHolderAndFreedOnClose() throws Exception {
    String me = Long.toString(ProcessHandle.current().pid());
    RootLock first = RootLock.acquire(root);
    try {
      assertEquals(me, Files.readString(root.resolve(RootLock.FILE)).strip());
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(root.resolve(RootLock.FILE))));
      CorralException e = assertThrows(CorralException.class, () -> RootLock.acquire(root));
      assertTrue(
          e.getMessage().contains("in use by another corrald (pid " + me + ")"), e.getMessage());
    } finally {
      first.close();
    }
    RootLock.acquire(root).close(); // free again
    assertTrue(Files.exists(root.resolve(RootLock.FILE)), "the file stays; only the lock goes");
  }

  @Test
  void aLeftoverFileWithoutAHolderDoesNotStopTheNextDaemon() throws Exception {
    Files.writeString(root.resolve(RootLock.FILE), "99999999\n");
    RootLock l = RootLock.acquire(root);
    try {
      assertEquals(
          Long.toString(ProcessHandle.current().pid()),
          Files.readString(root.resolve(RootLock.FILE)).strip());
    } finally {
      l.close();
    }
  }
}
