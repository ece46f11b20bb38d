package dev.corral.supervisor.io;

import dev.corral.runtime.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a conmon k8s-file log incrementally: each {@link #readNew} returns the complete lines
 * appended since the last call, keeping a trailing line that conmon has not finished writing for
 * the next call. A log that does not exist yet reads as empty. Malformed lines are skipped.
 *
 * <p>Not thread-safe: the thread reading a {@link FileLogSource} owns its reader.
 */
final class LogReader {
  private static final int CHUNK = 64 * 1024;

  private final Path file;
  private long position; // owning request thread
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream(); // owning thread

  LogReader(Path file) {
    this.file = file;
  }

  /** The lines appended since the last call, oldest first. */
  List<LogLine> readNew() throws IOException {
    List<LogLine> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      for (int n; (n = ch.read(buf, position)) > 0; buf.clear()) {
        position += n;
        split(buf.array(), n, out);
      }
    } catch (NoSuchFileException removed) {
      // the container was deleted meanwhile: nothing more to read
    }
    return out;
  }

  private void split(byte[] data, int n, List<LogLine> out) {
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (data[i] == '\n') {
        pending.write(data, start, i - start);
        LogLine.parse(pending.toString(StandardCharsets.UTF_8)).ifPresent(out::add);
        pending.reset();
        start = i + 1;
      }
    }
    pending.write(data, start, n - start);
  }
}
