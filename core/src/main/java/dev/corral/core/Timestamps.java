package dev.corral.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * The one wire format for times: RFC 3339 in UTC with exactly nine fraction digits ({@code
 * 2026-11-23T16:28:46.284849964Z}), so timestamps sort as strings and event replay by time never
 * loses the nanoseconds. A time a client sends ({@code newerThan}) may also be unix nanoseconds, a
 * plain integer, and RFC 3339 with any offset and zero to nine fraction digits.
 *
 * <p>Stateless; usable from any thread.
 */
public final class Timestamps {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * RFC 3339's {@code date-time}: seconds required (ISO_OFFSET_DATE_TIME would take {@code
   * 12:30Z}), fraction optional, {@code Z} or {@code ±hh:mm}, {@code T} and {@code Z} in any case.
   */
  private static final DateTimeFormatter RFC_3339 =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .appendOffset("+HH:MM", "Z")
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT);

  private Timestamps() {}

  public static String format(Instant t) {
    return t == null ? null : FORMAT.format(t);
  }

  /** {@code unixNanos} in the wire format, nine fraction digits. */
  public static String formatNanos(long unixNanos) {
    return FORMAT.format(
        Instant.ofEpochSecond(
            Math.floorDiv(unixNanos, NANOS_PER_SECOND),
            Math.floorMod(unixNanos, NANOS_PER_SECOND)));
  }

  /**
   * {@code t} as unix nanoseconds.
   *
   * @throws ArithmeticException outside the years 1677 to 2262
   */
  public static long toNanos(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < 0 && t.getNano() > 0) {
      // seconds * 1e9 alone would overflow for the earliest representable second
      seconds++;
      return Math.addExact(
          Math.multiplyExact(seconds, NANOS_PER_SECOND), t.getNano() - NANOS_PER_SECOND);
    }
    return Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), t.getNano());
  }

  /**
   * Parses a time a client sent: unix nanoseconds (digits only) or RFC 3339 with up to nine
   * fraction digits.
   *
   * @param field the request field, named in the error
   * @return unix nanoseconds
   * @throws CorralException invalid_argument naming {@code field} when the text is neither, or out
   *     of the range of a long of nanoseconds (years 1677 to 2262)
   */
  public static long parseNanos(String field, String text) {
    if (text == null || text.isEmpty()) {
      throw CorralException.invalidArgument("%s: must not be empty", field);
    }
    if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw CorralException.invalidArgument(
            "%s: %s is out of range for unix nanoseconds", field, text);
      }
    }
    Instant t;
    try {
      t = OffsetDateTime.parse(text, RFC_3339).toInstant();
    } catch (DateTimeException e) {
      throw CorralException.invalidArgument(
          "%s: \"%s\" is neither RFC 3339 (2026-12-05T23:40:01.123456789Z) nor unix nanoseconds",
          field, text);
    }
    try {
      return toNanos(t);
    } catch (ArithmeticException e) {
      throw CorralException.invalidArgument(
          "%s: %s is out of range (years 1677 to 2262)", field, text);
    }
  }
}
