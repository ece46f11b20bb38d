package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.supervisor.task.LogFilter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The query of a logs request: {@code follow}, {@code since} (RFC 3339, or unix seconds with an
 * optional fraction; only entries strictly after it), {@code tail} (the last N entries; -1 for
 * all), and the streams ({@code stdout=1}, {@code stderr=1}; both when neither is given).
 *
 * <p>Immutable.
 */
record LogQuery(boolean follow, Instant since, int tail, boolean stdout, boolean stderr) {
  static LogQuery of(Exchange x) {
    boolean out = x.flag("stdout");
    boolean err = x.flag("stderr");
    boolean both = !out && !err;
    return new LogQuery(
        x.flag("follow"),
        time("since", x.query().getValue("since")),
        tail(x.query().getValue("tail")),
        out || both,
        err || both);
  }

  LogFilter filter() {
    return new LogFilter(since, tail, stdout, stderr);
  }

  private static int tail(String v) {
    if (v == null || v.isEmpty() || v.equals("all")) {
      return -1;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw CorralException.invalidArgument("tail: \"%s\" is not a count of lines", v);
  }

  /** RFC 3339 with an offset, or unix seconds with an optional fraction. */
  static Instant time(String field, String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      if (v.matches("\\d+(\\.\\d{1,9})?")) {
        BigDecimal s = new BigDecimal(v);
        long secs = s.longValue();
        return Instant.ofEpochSecond(
            secs, s.subtract(BigDecimal.valueOf(secs)).movePointRight(9).longValue());
      }
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw CorralException.invalidArgument(
          "%s: \"%s\" is neither RFC 3339 nor unix seconds", field, v);
    }
  }
}
