package dev.corral.api;

import com.google.gson.JsonObject;
import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.core.Timestamps;
import dev.corral.supervisor.task.LogEntry;
import dev.corral.supervisor.task.LogSource;
import dev.corral.supervisor.task.LogsTask;
import dev.corral.supervisor.thread.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET /v1/containers/{id}/logs[?pid=EXEC&follow=1&since=&tail=N&stdout=1&stderr=1]}: the
 * process's output from its shim's log, as NDJSON, one object per log entry: {@code {"timestamp":
 * "...Z", "stream": "stdout", "log": "text\n"}}. {@code log} is the output as written: a full line
 * ends in a newline, a partial chunk does not, so concatenating {@code log} per stream restores the
 * output. With {@code follow=1} the stream goes on until the process has stopped and the log is
 * drained (or it is deleted).
 *
 * <p>Thread-safe. A {@link LogsTask} checks the process on the loop and answers with a {@link
 * LogSource}; the stream is then written from the reply's callback thread, which a followed log
 * holds (within its stream slot) while it polls the file.
 */
final class LogRoutes {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration LOOKUP = Duration.ofSeconds(30);

  private final Replies replies;
  private final StreamSlots streams;

  LogRoutes(Replies replies, StreamSlots streams) {
    this.replies = replies;
    this.streams = streams;
  }

  void register(Router r) {
    r.add(
        "GET",
        "/v1/containers/{id}/logs",
        this::logs,
        "pid",
        "follow",
        "tail",
        "since",
        "stdout",
        "stderr");
  }

  private void logs(Exchange x) {
    ContainerRef id = x.container();
    String pid = x.query().getValue("pid");
    pid = pid == null ? Ids.INIT : Ids.require("pid", pid);
    LogQuery q = LogQuery.of(x);
    boolean follow = q.follow() && !x.head(); // a HEAD gets the headers, and nothing to follow
    LogsTask t = new LogsTask(id, pid, q.filter(), follow, new Reply<>());
    replies.submit(x, t, t.reply(), LOOKUP, source -> stream(x, source, follow));
  }

  private void stream(Exchange x, LogSource source, boolean follow) {
    // Only a followed log holds its thread past the end of the file.
    StreamSlots.Slot slot = follow ? streams.open() : null;
    try {
      write(x, source, follow);
    } finally {
      if (slot != null) {
        slot.close();
      }
    }
  }

  private static void write(Exchange x, LogSource source, boolean follow) {
    x.response.setStatus(200);
    x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    x.stream(
        out -> {
          write(out, source.next());
          out.flush();
          if (follow) {
            follow(source, out);
          }
        });
  }

  /** Until the process has stopped and a last read found the rest of its output. */
  private static void follow(LogSource source, OutputStream out)
      throws IOException, InterruptedException {
    while (true) {
      List<LogEntry> entries = source.next();
      if (!entries.isEmpty()) {
        write(out, entries);
        out.flush();
        continue;
      }
      if (source.ended()) {
        write(out, source.next());
        return;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static void write(OutputStream out, List<LogEntry> entries) throws IOException {
    for (LogEntry e : entries) {
      out.write(json(e).getBytes(StandardCharsets.UTF_8));
    }
  }

  static String json(LogEntry e) {
    JsonObject o = new JsonObject();
    o.addProperty("timestamp", Timestamps.format(e.timestamp()));
    o.addProperty("stream", e.stream());
    o.addProperty("log", e.log());
    return Json.GSON.toJson(o) + "\n";
  }
}
