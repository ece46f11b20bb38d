package dev.corral.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations a client sends in a query ({@code timeout=30s}): Go's notation with whole numbers
 * ({@code 500ms}, {@code 5m}, {@code 1m30s}, {@code 1h}; units h, m, s, ms, us, ns, each at most
 * once, largest first), or a plain number of seconds ({@code 30}).
 *
 * <p>Stateless; usable from any thread.
 */
public final class Durations {
  private static final Pattern GO =
      Pattern.compile(
          "(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?(?:(\\d+)us)?(?:(\\d+)ns)?");
  private static final long[] UNIT_NANOS = {
    3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L
  };
  private static final String[] UNIT_NAMES = {"h", "m", "s", "ms", "us", "ns"};
  private static final int SECONDS = 2; // the index of s in the two arrays above
  private static final int MAX_LENGTH = 64;

  private Durations() {}

  /**
   * Parses {@code text} and checks that it is positive and at most {@code max}.
   *
   * @param field the request field, named in every error
   * @throws CorralException invalid_argument naming {@code field} when unparsable, zero or
   *     negative, or longer than {@code max}
   */
  public static Duration parse(String field, String text, Duration max) {
    Duration d = parseUnchecked(field, text);
    if (d.isZero()) {
      throw CorralException.invalidArgument("%s: must be positive, not %s", field, text);
    }
    if (d.compareTo(max) > 0) {
      throw CorralException.invalidArgument(
          "%s: %s is longer than the maximum %s", field, text, format(max));
    }
    return d;
  }

  /**
   * Parses {@code text} with no bounds but its notation's: zero is allowed (a flag such as a grace
   * period may be 0).
   *
   * @throws CorralException invalid_argument naming {@code field} when unparsable or out of range
   */
  public static Duration parseUnchecked(String field, String text) {
    if (text == null || text.isEmpty()) {
      throw CorralException.invalidArgument("%s: must not be empty", field);
    }
    if (text.length() <= MAX_LENGTH) {
      if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return ofNanos(field, text, text, SECONDS);
      }
      Matcher m = GO.matcher(text);
      if (m.matches()) {
        long total = 0;
        for (int i = 0; i < UNIT_NANOS.length; i++) {
          if (m.group(i + 1) != null) {
            total = add(field, text, total, ofNanos(field, text, m.group(i + 1), i).toNanos());
          }
        }
        return Duration.ofNanos(total);
      }
    }
    throw CorralException.invalidArgument(
        "%s: \"%s\" is not a duration (30s, 500ms, 1m30s, or seconds)", field, text);
  }

  private static Duration ofNanos(String field, String text, String digits, int unit) {
    try {
      return Duration.ofNanos(Math.multiplyExact(Long.parseLong(digits), UNIT_NANOS[unit]));
    } catch (NumberFormatException | ArithmeticException e) {
      throw CorralException.invalidArgument("%s: %s is out of range", field, text);
    }
  }

  private static long add(String field, String text, long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw CorralException.invalidArgument("%s: %s is out of range", field, text);
    }
  }

  /** {@code d} in the notation {@link #parse} reads ({@code 5m}, {@code 1m30s}, {@code 500ms}). */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < UNIT_NANOS.length; i++) {
      if (nanos >= UNIT_NANOS[i]) {
        out.append(nanos / UNIT_NANOS[i]).append(UNIT_NAMES[i]);
        nanos %= UNIT_NANOS[i];
      }
    }
    return out.toString();
  }
}
