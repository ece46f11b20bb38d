package dev.corral.monitor;

import java.io.IOException;
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
    return confirmed(baseline, oomKills(w), Files.exists(w.persistDir().resolve("oom")));
  }

  /** {@code oom_kill} of memory.oom_control (v1) or memory.events (v2); empty if unreadable. */
  static OptionalLong oomKills(OomWatch w) {
    Path v1 = w.memoryCgroup().resolve("memory.oom_control");
    Path file = Files.exists(v1) ? v1 : w.memoryCgroup().resolve("memory.events");
    try {
      return OptionalLong.of(field(Files.readString(file), "oom_kill"));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The value of {@code key} in "key value" lines; 0 when absent (kernels before 4.13). */
  static long field(String text, String key) {
    for (String line : text.split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2 && kv[0].equals(key)) {
        return Long.parseLong(kv[1]);
      }
    }
    return 0;
  }
}
