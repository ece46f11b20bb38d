package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.core.Namespaces;
import dev.corral.supervisor.event.EventFilter;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.event.Start;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of {@code GET /v1/events}, parsed and checked on the request thread: {@code
 * since}/{@code until} (RFC 3339, or unix seconds with up to nine fraction digits), {@code after}
 * or the {@code Last-Event-ID} header (a seq), {@code namespace}, {@code id} and {@code type}
 * filters (the {@code Corral-Namespace} header does not filter: absent, events of every namespace
 * stream), {@code stored}. Errors are invalid_argument naming the parameter. Where the replay
 * starts: {@code after} wins over {@code Last-Event-ID}, which wins over {@code since} (a
 * reconnecting EventSource sends the header with its original URL, and the seq is the exact place).
 * {@code stored} with none of them replays everything retained (seq 1 on), for a stream that ends
 * after the replay would otherwise be empty.
 *
 * <p>Immutable.
 */
record EventQuery(EventFilter filter, Start start, Instant until, boolean stored) {
  private static final Pattern UNIX = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");
  private static final Pattern SEQ = Pattern.compile("\\d{1,18}");

  /** Parses the raw values; any may be null. */
  static EventQuery parse(
      String namespace,
      String since,
      String until,
      String after,
      String lastEventId,
      String id,
      List<String> types,
      boolean stored) {
    if (id != null) {
      Ids.require("id", id);
    }
    if (namespace != null) {
      Namespaces.require("namespace", namespace);
    }
    EventFilter filter = new EventFilter(namespace, id, types(types));
    Instant sinceT = since == null ? null : time("since", since);
    Instant untilT = until == null ? null : time("until", until);
    Long afterSeq = after == null ? null : seq("after", after);
    Long lastId = lastEventId == null ? null : seq("Last-Event-ID", lastEventId.trim());
    Start start =
        afterSeq != null
            ? Start.after(afterSeq)
            : lastId != null
                ? Start.after(lastId)
                : sinceT != null ? Start.since(sinceT) : stored ? Start.after(0) : Start.LIVE;
    return new EventQuery(filter, start, untilT, stored);
  }

  private static Set<EventType> types(List<String> values) {
    Set<EventType> set = EnumSet.noneOf(EventType.class);
    for (String t : values == null ? List.<String>of() : values) {
      for (String one : t.split(",")) {
        set.add(EventType.parse("type", one.trim()));
      }
    }
    return set;
  }

  /** RFC 3339 with any offset and up to nine fraction digits, or unix seconds[.fraction]. */
  static Instant time(String field, String v) {
    if (UNIX.matcher(v).matches()) {
      BigDecimal d = new BigDecimal(v);
      long secs = d.longValue();
      int nanos = d.subtract(BigDecimal.valueOf(secs)).movePointRight(9).intValueExact();
      return Instant.ofEpochSecond(secs, nanos);
    }
    try {
      return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw CorralException.invalidArgument(
          "%s: \"%s\" is neither RFC 3339 nor unix seconds", field, v);
    }
  }

  private static long seq(String field, String v) {
    if (!SEQ.matcher(v).matches()) {
      throw CorralException.invalidArgument("%s: \"%s\" is not a sequence number", field, v);
    }
    return Long.parseLong(v);
  }
}
