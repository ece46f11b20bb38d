package dev.corral.runtime;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads {@code /proc/PID/stat}. Pids are reused quickly here (pid_max 32768), so a pid names a
 * process only together with its start time (field 22, clock ticks since boot).
 *
 * <p>Stateless; usable from any thread.
 */
public final class ProcStat {
  /** Fields 3 (state), 4 (ppid) and 22 (starttime), counted from field 3, the first after comm. */
  private static final int STATE = 0;

  private static final int PPID = 4 - 3;

  private static final int START_TIME = 22 - 3;

  /** Enough for the fields read: field 22 ends within the first ~450 bytes of any stat line. */
  private static final int STAT_BUFFER = 1024;

  /** The parts of a stat line we use. */
  record Stat(char state, int ppid, long startTime) {}

  private ProcStat() {}

  /**
   * The start time of {@code pid}, or empty when no such process exists (a zombie still has one).
   */
  public static OptionalLong startTime(int pid) {
    return read(pid).map(s -> OptionalLong.of(s.startTime())).orElse(OptionalLong.empty());
  }

  /** True while {@code pid} is the process that started at {@code startTime} and not a zombie. */
  public static boolean alive(int pid, long startTime) {
    return read(pid).filter(s -> s.startTime() == startTime && s.state() != 'Z').isPresent();
  }

  /**
   * True when {@code pid} is the process that started at {@code startTime} and a child of {@code
   * parent} (a zombie not yet reaped still is).
   */
  public static boolean childOf(int pid, long startTime, int parent) {
    return read(pid).filter(s -> s.startTime() == startTime && s.ppid() == parent).isPresent();
  }

  /**
   * The start time of {@code pid} when it is a child of {@code parent} (a zombie not yet reaped
   * still is), else empty: {@link #startTime} and {@link #childOf} from one read of the stat file.
   */
  public static OptionalLong startTimeIfChildOf(int pid, int parent) {
    return read(pid)
        .filter(s -> s.ppid() == parent)
        .map(s -> OptionalLong.of(s.startTime()))
        .orElse(OptionalLong.empty());
  }

  /** The parent of {@code pid}, or empty when no such process exists. */
  public static OptionalInt parent(int pid) {
    return read(pid).map(s -> OptionalInt.of(s.ppid())).orElse(OptionalInt.empty());
  }

  private static Optional<Stat> read(int pid) {
    // A FileInputStream and one buffer: no channel, no fstat for a size /proc reports as 0.
    byte[] buf = new byte[STAT_BUFFER];
    int n = 0;
    try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
      for (int r; n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0; ) {
        n += r;
      }
    } catch (IOException e) {
      // FileNotFoundException, or ESRCH when the process vanishes between open and read
      return Optional.empty();
    }
    return Optional.of(parse(new String(buf, 0, n, StandardCharsets.UTF_8)));
  }

  /**
   * Parses a stat line. comm (field 2) is in parentheses and may itself hold spaces and
   * parentheses, so the fields are counted from the last ')'. The fields after it are separated by
   * runs of spaces (split by hand: a regex split compiles its pattern on every call).
   */
  static Stat parse(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("no comm in stat line: " + stat);
    }
    // the bounds String.trim would give
    int end = stat.length();
    while (end > close + 1 && stat.charAt(end - 1) <= ' ') {
      end--;
    }
    int i = close + 1;
    while (i < end && stat.charAt(i) <= ' ') {
      i++;
    }
    String state = null;
    String ppid = null;
    String startTime = null;
    for (int field = 0; i < end && field <= START_TIME; field++) {
      int j = stat.indexOf(' ', i);
      if (j < 0 || j > end) {
        j = end;
      }
      if (field == STATE) {
        state = stat.substring(i, j);
      } else if (field == PPID) {
        ppid = stat.substring(i, j);
      } else if (field == START_TIME) {
        startTime = stat.substring(i, j);
      }
      i = j;
      while (i < end && stat.charAt(i) == ' ') {
        i++;
      }
    }
    if (startTime == null || state.length() != 1) {
      throw new IllegalArgumentException("short stat line: " + stat);
    }
    return new Stat(state.charAt(0), Integer.parseInt(ppid), Long.parseLong(startTime));
  }
}
