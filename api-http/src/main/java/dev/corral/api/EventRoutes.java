package dev.corral.api;

import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.event.Subscriber;
import dev.corral.supervisor.task.SubscribeTask;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET /v1/events}: the replay asked for, the {@code live} marker, then live events; one JSON
 * object per line (NDJSON), or {@code text/event-stream} with {@code id:} lines when the client's
 * Accept asks for it. The request's thread takes events from its subscriber and writes; the loop
 * never waits for it, so a slow client cannot slow the loop or anyone else.
 *
 * <p>A client that goes away is noticed at once when Jetty reports the request failed, and at the
 * latest at the next keep-alive: an idle stream writes one every {@link #KEEP_ALIVE}, an empty line
 * in NDJSON (the NDJSON spec lets parsers skip empty lines) or a comment line in SSE, and a write
 * to a closed unix socket fails at once (EPIPE). Either way the subscription is dropped on the
 * loop.
 *
 * <p>Thread-safe; each stream runs on its own request thread.
 */
final class EventRoutes {
  static final Duration KEEP_ALIVE = Duration.ofMillis(500);
  private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);

  /** How long after {@code until} a live stream waits for a batch still being journaled. */
  private static final Duration UNTIL_GRACE = Duration.ofMillis(100);

  private final Supervisor supervisor;
  private final Replies replies;
  private final StreamSlots streams;
  private final Clock clock = Clock.systemUTC();

  EventRoutes(Supervisor supervisor, Replies replies, StreamSlots streams) {
    this.replies = replies;
    this.supervisor = supervisor;
    this.streams = streams;
  }

  void register(Router r) {
    r.add(
        "GET",
        "/v1/events",
        this::events,
        "since",
        "until",
        "after",
        "namespace",
        "id",
        "type",
        "stored");
  }

  private void events(Exchange x) throws Exception {
    EventQuery q =
        EventQuery.parse(
            x.query().getValue("namespace"),
            x.query().getValue("since"),
            x.query().getValue("until"),
            x.query().getValue("after"),
            x.request.getHeaders().get("Last-Event-ID"),
            x.query().getValue("id"),
            x.query().getValues("type"),
            x.flag("stored"));
    boolean sse = accepts(x, "text/event-stream");
    if (x.head()) { // the headers a GET would get; no subscription, no slot, no body
      headers(x, sse);
      x.callback.succeeded();
      return;
    }
    StreamSlots.Slot slot = streams.open();
    SubscribeTask t = supervisor.subscription(q.filter(), q.start());
    Subscriber sub = t.subscriber();
    // No thread waits for the subscription: the stream starts on a request thread once the loop
    // has registered it, and holds that thread (one of --max-streams) until it ends.
    replies.submit(
        x,
        t,
        t.reply(),
        SUBSCRIBE_TIMEOUT,
        registered -> {
          try {
            events(x, q, sse, sub);
          } finally {
            slot.close();
          }
        },
        () -> {
          supervisor.unsubscribe(sub); // the loop may still register it after we gave up
          slot.close();
        });
  }

  private void events(Exchange x, EventQuery q, boolean sse, Subscriber sub) {
    x.request.addFailureListener(failure -> sub.close());
    headers(x, sse);
    try {
      x.stream(out -> stream(sub, q, out, sse));
    } finally {
      supervisor.unsubscribe(sub);
    }
  }

  private static void headers(Exchange x, boolean sse) {
    x.response.setStatus(200);
    x.response
        .getHeaders()
        .put(HttpHeader.CONTENT_TYPE, sse ? "text/event-stream" : "application/x-ndjson");
    x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
  }

  private void stream(Subscriber sub, EventQuery q, OutputStream out, boolean sse)
      throws IOException, InterruptedException {
    out.flush(); // send the headers now: a subscriber sees the stream open at once
    while (true) {
      Event e = sub.poll(pollTimeout(q.until()));
      if (e == null) {
        if (sub.isDrained() || sub.isClosed() || untilPassed(q.until())) {
          return;
        }
        out.write((sse ? ":\n\n" : "\n").getBytes(StandardCharsets.US_ASCII));
      } else if (ends(e, q)) {
        return;
      } else {
        out.write(frame(e, sse));
      }
      // No flush: the stream does not buffer, each write above is already a blocking write of
      // its own to the connection, and a flush would be a second (empty) one per event.
      if (e != null && e.type() == EventType.LAGGED) {
        return;
      }
    }
  }

  /** stored=1 ends at the live marker; until ends at the first event past it. */
  private static boolean ends(Event e, EventQuery q) {
    if (e.type() == EventType.LIVE) {
      return q.stored();
    }
    return q.until() != null && e.timestamp() != null && e.timestamp().isAfter(q.until());
  }

  private Duration pollTimeout(Instant until) {
    if (until == null) {
      return KEEP_ALIVE;
    }
    Duration left = Duration.between(clock.instant(), until.plus(UNTIL_GRACE));
    return left.isNegative() ? Duration.ZERO : left.compareTo(KEEP_ALIVE) < 0 ? left : KEEP_ALIVE;
  }

  private boolean untilPassed(Instant until) {
    return until != null && clock.instant().isAfter(until.plus(UNTIL_GRACE));
  }

  private static byte[] frame(Event e, boolean sse) {
    String json = Json.event(e);
    String text = sse ? "id: " + e.seq() + "\ndata: " + json + "\n\n" : json + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean accepts(Exchange x, String type) {
    String accept = x.request.getHeaders().get(HttpHeader.ACCEPT);
    return accept != null && accept.contains(type);
  }
}
