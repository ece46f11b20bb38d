package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinariesTest {
  @TempDir Path dir;

  private Path file(String name, String mode) throws IOException {
    Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    return p;
  }

  private static CorralException missing(String name, Path configured, String path) {
    CorralException e =
        assertThrows(CorralException.class, () -> Binaries.require(name, configured, path));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    return e;
  }

  @Test
  void configuredExecutableIsAccepted() throws IOException {
    Path runc = file("runc", "rwxr-xr-x");
    assertEquals(runc, Binaries.require("runc", runc, ""));
  }

  @Test
  void configuredNonExecutableIsRefusedNamingThePackage() throws IOException {
    Path runc = file("runc", "rw-r--r--");
    assertEquals(
        "runc not found: " + runc + " is not an executable file; install the Debian package runc",
        missing("runc", runc, "").getMessage());
  }

  @Test
  void directoryIsNotABinary() {
    missing("conmon", dir, "");
  }

  @Test
  void nameIsSearchedOnPath() throws IOException {
    Path tool = file("corral-test-tool", "rwxr-xr-x");
    assertEquals(tool, Binaries.require("corral-test-tool", null, "/nonexistent:" + dir));
  }

  @Test
  void missingBusyboxNamesBusyboxStatic() {
    String message = missing("busybox-corral-absent", null, dir.toString()).getMessage();
    assertTrue(message.startsWith("busybox-corral-absent not found: not on PATH"), message);
    CorralException e = missing("busybox", dir.resolve("busybox"), "");
    assertTrue(e.getMessage().endsWith("install the Debian package busybox-static"));
  }
}
