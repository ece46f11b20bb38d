package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RuncRuntimeTest {
  private static RuncRuntime runtime(String socketDir) {
    return new RuncRuntime(
        Path.of("/usr/sbin/runc"),
        Path.of("/usr/bin/conmon"),
        ns -> Path.of("/r"),
        Path.of(socketDir));
  }

  @Test
  void socketDirThatFitsTheLongestIdIsAccepted() {
    runtime("/" + "s".repeat(82)); // 83 bytes + "/" + 16-digit token + "/attach" = 107
  }

  @Test
  void socketDirTooLongForAttachSocketsIsRefused() {
    CorralException e = assertThrows(CorralException.class, () -> runtime("/" + "s".repeat(83)));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
  }
}
