package dev.corral.core;

import java.util.Locale;
import java.util.Map;

/**
 * Parses signal names and numbers as a client writes them: {@code "TERM"}, {@code "SIGKILL"},
 * {@code "9"}. Numbers are Linux x86_64/aarch64 ones (they agree for every name here).
 *
 * <p>Stateless; usable from any thread.
 */
public final class Signals {
  private static final Map<String, Integer> BY_NAME =
      Map.ofEntries(
          Map.entry("HUP", 1),
          Map.entry("INT", 2),
          Map.entry("QUIT", 3),
          Map.entry("ILL", 4),
          Map.entry("TRAP", 5),
          Map.entry("ABRT", 6),
          Map.entry("BUS", 7),
          Map.entry("FPE", 8),
          Map.entry("KILL", 9),
          Map.entry("USR1", 10),
          Map.entry("SEGV", 11),
          Map.entry("USR2", 12),
          Map.entry("PIPE", 13),
          Map.entry("ALRM", 14),
          Map.entry("TERM", 15),
          Map.entry("STKFLT", 16),
          Map.entry("CHLD", 17),
          Map.entry("CONT", 18),
          Map.entry("STOP", 19),
          Map.entry("TSTP", 20),
          Map.entry("TTIN", 21),
          Map.entry("TTOU", 22),
          Map.entry("URG", 23),
          Map.entry("XCPU", 24),
          Map.entry("XFSZ", 25),
          Map.entry("VTALRM", 26),
          Map.entry("PROF", 27),
          Map.entry("WINCH", 28),
          Map.entry("IO", 29),
          Map.entry("PWR", 30),
          Map.entry("SYS", 31));

  /** Highest real-time signal number on Linux. */
  private static final int SIGRTMAX = 64;

  private Signals() {}

  /**
   * Returns the signal number.
   *
   * @param field the request field, named in the error
   * @throws CorralException invalid_argument for an unknown name or a number out of 1..64
   */
  public static int parse(String field, String value) {
    if (value == null || value.isBlank()) {
      throw CorralException.invalidArgument("%s: must not be empty", field);
    }
    String v = value.trim().toUpperCase(Locale.ROOT);
    if (v.chars().allMatch(Character::isDigit)) {
      return checkRange(field, value, v);
    }
    Integer n = BY_NAME.get(v.startsWith("SIG") ? v.substring(3) : v);
    if (n == null) {
      throw CorralException.invalidArgument("%s: unknown signal \"%s\"", field, value);
    }
    return n;
  }

  private static int checkRange(String field, String raw, String digits) {
    int n = digits.length() > 3 ? -1 : Integer.parseInt(digits);
    if (n < 1 || n > SIGRTMAX) {
      throw CorralException.invalidArgument(
          "%s: %s is not a signal number (1-%d)", field, raw, SIGRTMAX);
    }
    return n;
  }
}
