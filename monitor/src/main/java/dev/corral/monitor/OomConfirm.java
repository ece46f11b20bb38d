package dev.corral.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Decides whether an OOM notification is a real kill. The v1 eventfd also fires when the cgroup is
 * removed (runc delete), and a v2 memory.events changes for other counters too, so a kill is
 * reported only when the kernel's {@code oom_kill} count rose above what it was when the watch
 * began, or conmon left its {@code oom} file in the persist dir.
 *
 * <p>Stateless; safe from any thread. Reads two small files: cheap enough for the monitor thread.
 */
final class OomConfirm {
  private OomConfirm() {}

  /** The rule itself; {@code now} is empty when the cgroup could not be read (removed). */
  static boolean confirmed(long baseline, OptionalLong now, boolean conmonOomFile) {
    return conmonOomFile || (now.isPresent() && now.getAsLong() > baseline);
  }

  /** Confirms against the files of {@code w}. */
  static boolean confirmed(OomWatch w, long baseline) {
    return confirmed(counterFile(w), w.persistDir(), baseline);
  }

  /**
   * Confirms against {@code counter} (from {@link #counterFile}, found once per watch) and conmon's
   * file in {@code persistDir}: the exit path's check, one read and one stat.
   */
  static boolean confirmed(Path counter, Path persistDir, long baseline) {
    return confirmed(baseline, oomKills(counter), Files.exists(persistDir.resolve("oom")));
  }

  /** The file with {@code oom_kill}: memory.oom_control (v1) or memory.events (v2). */
  static Path counterFile(OomWatch w) {
    Path v1 = w.memoryCgroup().resolve("memory.oom_control");
    return Files.exists(v1) ? v1 : w.memoryCgroup().resolve("memory.events");
  }

  /** {@code oom_kill} of memory.oom_control (v1) or memory.events (v2); empty if unreadable. */
  static OptionalLong oomKills(OomWatch w) {
    return oomKills(counterFile(w));
  }

  private static OptionalLong oomKills(Path counter) {
    try {
      byte[] text = Files.readAllBytes(counter);
      return OptionalLong.of(field(new String(text, StandardCharsets.ISO_8859_1), "oom_kill"));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The value of {@code key} in "key value" lines; 0 when absent (kernels before 4.13). Without
   * regular expressions: it runs at every exit, on code too cold to be compiled.
   */
  static long field(String text, String key) {
    int line = 0;
    while (line < text.length()) {
      int end = text.indexOf('\n', line);
      if (end < 0) {
        end = text.length();
      }
      int k = skipBlanks(text, line, end);
      int afterKey = k + key.length();
      if (text.startsWith(key, k) && afterKey < end && isBlank(text.charAt(afterKey))) {
        int v = skipBlanks(text, afterKey, end);
        int vEnd = v;
        while (vEnd < end && !isBlank(text.charAt(vEnd))) {
          vEnd++;
        }
        if (v < vEnd && skipBlanks(text, vEnd, end) == end) {
          return Long.parseLong(text, v, vEnd, 10);
        }
      }
      line = end + 1;
    }
    return 0;
  }

  private static int skipBlanks(String s, int from, int end) {
    while (from < end && isBlank(s.charAt(from))) {
      from++;
    }
    return from;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }
}
