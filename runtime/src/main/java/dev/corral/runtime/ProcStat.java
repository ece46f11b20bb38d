package dev.corral.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The parent of {@code pid}, or empty when no such process exists. */
  public static OptionalInt parent(int pid) {
    return read(pid).map(s -> OptionalInt.of(s.ppid())).orElse(OptionalInt.empty());
  }

  private static Optional<Stat> read(int pid) {
    try {
      byte[] stat = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "stat"));
      return Optional.of(parse(new String(stat, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      // NoSuchFileException, or ESRCH when the process vanishes between open and read
      return Optional.empty();
    }
  }

  /**
   * Parses a stat line. comm (field 2) is in parentheses and may itself hold spaces and
   * parentheses, so the fields are counted from the last ')'.
   */
  static Stat parse(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("no comm in stat line: " + stat);
    }
    String[] fields = stat.substring(close + 1).trim().split(" +");
    if (fields.length <= START_TIME || fields[STATE].length() != 1) {
      throw new IllegalArgumentException("short stat line: " + stat);
    }
    return new Stat(
        fields[STATE].charAt(0),
        Integer.parseInt(fields[PPID]),
        Long.parseLong(fields[START_TIME]));
  }
}
