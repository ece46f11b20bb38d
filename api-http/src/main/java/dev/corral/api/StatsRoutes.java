package dev.corral.api;

import dev.corral.core.ContainerRef;
import dev.corral.metrics.ContainerStats;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.task.StatsTask;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /v1/containers/{id}/stats}: one reading of the container's cgroup counters, or with
 * {@code stream=1} one JSON object per line per second until the client leaves or the container
 * stops. A stream holds no thread: each reading is written when the loop answers, the next asked
 * for a period later on Jetty's scheduler; the files are read on a worker either way. It still
 * counts against --max-streams.
 *
 * <p>Thread-safe; a stream's steps run one after another on request and scheduler threads.
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
    r.add("GET", "/v1/containers/{id}/stats", this::stats, "stream");
  }

  private void stats(Exchange x) throws Exception {
    ContainerRef id = x.container();
    StatsTask t = new StatsTask(id, new Reply<>());
    if (!x.flag("stream") || x.head()) { // a HEAD gets one reading's headers, never a stream
      replies.submit(x, t, t.reply(), DEADLINE, v -> x.json(200, v));
      return;
    }
    StreamSlots.Slot slot = streams.open();
    // A stopped or unknown container fails before the 200. No thread waits for a reading: each
    // is written when the loop answers, and the next asked for a period later.
    replies.submit(
        x,
        t,
        t.reply(),
        DEADLINE,
        first -> {
          x.response.setStatus(200);
          x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
          write(new Stream(x, id, slot), first);
        },
        slot::close);
  }

  /** One open stats stream: its exchange, container and stream slot. */
  private record Stream(Exchange x, ContainerRef id, StreamSlots.Slot slot) {}

  private void write(Stream s, ContainerStats reading) {
    Content.Sink.write(
        s.x().response,
        false,
        Json.GSON.toJson(reading) + "\n",
        Callback.from(
            () -> replies.schedule(() -> next(s), PERIOD),
            failure -> { // the client went away
              s.slot().close();
              s.x().callback.failed(failure);
            }));
  }

  /** The next reading; the stream ends once the container has stopped or is gone. */
  private void next(Stream s) {
    StatsTask t = new StatsTask(s.id(), new Reply<>());
    try {
      supervisor.submit(t);
    } catch (RuntimeException e) { // a full ring, or a daemon shutting down: the stream ends
      end(s);
      return;
    }
    replies.whenDone(
        t.reply(),
        (reading, error) -> {
          if (error != null) {
            end(s);
          } else {
            write(s, reading);
          }
        });
  }

  private static void end(Stream s) {
    s.slot().close();
    s.x().response.write(true, null, s.x().callback);
  }
}
