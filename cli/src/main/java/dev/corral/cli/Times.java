package dev.corral.cli;

import dev.corral.core.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times on the command line: a duration ago ({@code 90s}, {@code 10m}, {@code 2h}, {@code 1d},
 * {@code 1h30m}) becomes an RFC 3339 time with nanoseconds; RFC 3339 and unix seconds go to the
 * daemon as they are (it parses and checks them).
 *
 * <p>Stateless.
 */
final class Times {
  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)([smhd]))+");
  private static final Pattern PART = Pattern.compile("(\\d+)([smhd])");

  private Times() {}

  static String since(String value) {
    return since(value, Clock.systemUTC());
  }

  static String since(String value, Clock clock) {
    if (value == null) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!DURATION.matcher(v).matches()) {
      return value;
    }
    Duration d = Duration.ZERO;
    Matcher m = PART.matcher(v);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
    }
    return Timestamps.format(Instant.now(clock).minus(d));
  }
}
