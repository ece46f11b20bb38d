package dev.corral.api;

import dev.corral.core.Ids;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventFilter;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.event.Subscriber;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * {@code GET /v1/events}: a live stream, one JSON object per line (NDJSON), or {@code
 * text/event-stream} with {@code id:} lines when the client's Accept asks for it. The request's
 * thread drains the subscriber's buffer and writes; the loop only ever offers to that buffer, so a
 * slow client cannot slow it.
 *
 * <p>Thread-safe; each stream runs on its own request thread.
 */
final class EventRoutes {
  private static final Duration POLL = Duration.ofSeconds(1);

  private final Supervisor supervisor;

  EventRoutes(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  void register(Router r) {
    r.add("GET", "/v1/events", this::events);
  }

  private void events(Exchange x) throws Exception {
    EventFilter filter = filter(x);
    boolean sse = accepts(x, "text/event-stream");
    x.response.setStatus(200);
    x.response
        .getHeaders()
        .put(HttpHeader.CONTENT_TYPE, sse ? "text/event-stream" : "application/x-ndjson");
    x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    Subscriber sub = supervisor.subscribe(filter);
    try (OutputStream out = Content.Sink.asOutputStream(x.response)) {
      stream(sub, out, sse);
      x.callback.succeeded();
    } catch (IOException e) {
      x.callback.failed(e); // the client went away
    } finally {
      supervisor.unsubscribe(sub);
    }
  }

  private static void stream(Subscriber sub, OutputStream out, boolean sse)
      throws IOException, InterruptedException {
    out.flush(); // send the headers now: a subscriber sees the stream open at once
    while (!sub.isDrained()) {
      Event e = sub.poll(POLL);
      if (e != null) {
        out.write(frame(e, sse));
        out.flush();
      }
    }
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

  private static EventFilter filter(Exchange x) {
    String id = x.query().getValue("id");
    if (id != null) {
      Ids.require("id", id);
    }
    List<String> types = x.query().getValues("type");
    Set<EventType> set = EnumSet.noneOf(EventType.class);
    for (String t : types == null ? List.<String>of() : types) {
      for (String one : t.split(",")) {
        set.add(EventType.parse("type", one.trim()));
      }
    }
    return new EventFilter(id, set);
  }
}
