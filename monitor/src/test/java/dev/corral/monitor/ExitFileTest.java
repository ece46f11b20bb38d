package dev.corral.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitFileTest {
  @TempDir Path dir;

  @Test
  void readsTheDecimalCodeConmonWrote() throws Exception {
    Path file = Files.writeString(dir.resolve("c1"), "137");
    assertEquals(OptionalInt.of(137), ExitFile.code(file));
  }

  @Test
  void toleratesSurroundingWhitespace() throws Exception {
    Path file = Files.writeString(dir.resolve("c1"), " 0\n");
    assertEquals(OptionalInt.of(0), ExitFile.code(file));
  }

  @Test
  void hasNoCodeWhenTheFileIsMissingEmptyOrNotANumber() throws Exception {
    assertEquals(OptionalInt.empty(), ExitFile.code(dir.resolve("missing")));
    assertEquals(OptionalInt.empty(), ExitFile.code(Files.writeString(dir.resolve("e"), "")));
    assertEquals(OptionalInt.empty(), ExitFile.code(Files.writeString(dir.resolve("x"), "oops")));
  }

  @Test
  void exitedAtIsTheModificationTimeToTheNanosecond() throws Exception {
    Path file = Files.writeString(dir.resolve("c1"), "3");
    Instant mtime = Instant.parse("2026-11-23T16:28:46.284849964Z");
    Files.setLastModifiedTime(file, FileTime.from(mtime));
    assertEquals(mtime, ExitFile.exitedAt(file));
  }

  @Test
  void exitedAtIsNowWithoutAFile() {
    Instant before = Instant.now();
    assertFalse(ExitFile.exitedAt(dir.resolve("missing")).isBefore(before));
  }
}
