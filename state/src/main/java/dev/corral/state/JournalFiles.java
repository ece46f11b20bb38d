package dev.corral.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Names and lists the journal's segment files: {@code <first seq, 20 digits>.log}, so the names
 * sort in seq order.
 *
 * <p>Stateless; usable from any thread.
 */
final class JournalFiles {
  private static final String SUFFIX = ".log";

  private JournalFiles() {}

  static Path path(Path dir, long firstSeq) {
    return dir.resolve(String.format("%020d%s", firstSeq, SUFFIX));
  }

  /** The segments in {@code dir}, oldest first; other files are ignored. */
  static List<JournalSegment> list(Path dir) throws IOException {
    List<JournalSegment> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.matches("\\d{20}\\.log")) {
          out.add(new JournalSegment(Long.parseLong(name.substring(0, 20)), p));
        }
      }
    }
    return out;
  }

  static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(false);
    }
  }
}
