package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.metrics.ContainerStats;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.task.StatsTask;
import dev.corral.supervisor.thread.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * {@code GET /v1/containers/{id}/stats}: one reading of the container's cgroup counters, or with
 * {@code stream=1} one JSON object per line per second until the client leaves or the container
 * stops. A stream holds its request thread, as the event stream does; the files are read on a
 * worker either way.
 *
 * <p>Thread-safe; each stream runs on its own request thread.
 */
final class StatsRoutes {
  private static final Duration PERIOD = Duration.ofSeconds(1);
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final Supervisor supervisor;
  private final Replies replies;
  private final StreamSlots streams;

  StatsRoutes(Supervisor supervisor, Replies replies, StreamSlots streams) {
    this.supervisor = supervisor;
    this.replies = replies;
    this.streams = streams;
  }

  void register(Router r) {
    r.add("GET", "/v1/containers/{id}/stats", this::stats);
  }

  private void stats(Exchange x) throws Exception {
    String id = Ids.require("id", x.path("id"));
    if (!x.flag("stream")) {
      StatsTask t = new StatsTask(id, new Reply<>());
      replies.submit(x, t, t.reply(), DEADLINE, v -> x.json(200, v));
      return;
    }
    ContainerStats first = read(id); // a stopped or unknown container fails before the 200
    StreamSlots.Slot slot = streams.open();
    try {
      x.response.setStatus(200);
      x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
      try (OutputStream out = Content.Sink.asOutputStream(x.response)) {
        stream(id, first, out);
        x.callback.succeeded();
      } catch (IOException e) {
        x.callback.failed(e); // the client went away
      }
    } finally {
      slot.close();
    }
  }

  private void stream(String id, ContainerStats first, OutputStream out)
      throws IOException, InterruptedException {
    ContainerStats s = first;
    while (s != null) {
      out.write((Json.GSON.toJson(s) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      Thread.sleep(PERIOD.toMillis());
      s = readWhileLive(id);
    }
  }

  /** The next reading, or null once the container has stopped or is gone. */
  private ContainerStats readWhileLive(String id) {
    try {
      return read(id);
    } catch (CorralException e) {
      return null;
    }
  }

  private ContainerStats read(String id) {
    StatsTask t = new StatsTask(id, new Reply<>());
    supervisor.submit(t);
    return t.reply().await(DEADLINE);
  }
}
