package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path tmp;

  @Test
  void replacesContentAndLeavesNoTempFile() throws Exception {
    Path f = tmp.resolve("status.json");
    AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
    assertEquals("new", Files.readString(f));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(1, s.count());
    }
  }

  @Test
  void shorterContentTruncates() throws Exception {
    Path f = tmp.resolve("a");
    AtomicFiles.write(f, "0123456789".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(f, "ab".getBytes(StandardCharsets.UTF_8));
    assertEquals("ab", Files.readString(f));
  }

  @Test
  void aStaleTempFileFromACrashIsOverwritten() throws Exception {
    Path f = tmp.resolve("s");
    Files.writeString(tmp.resolve(".s.tmp"), "torn garbage from a crash");
    AtomicFiles.write(f, "ok".getBytes(StandardCharsets.UTF_8));
    assertEquals("ok", Files.readString(f));
  }
}
