package dev.corral.api;

import com.google.gson.JsonObject;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.core.Ids;
import dev.corral.core.Timestamps;
import dev.corral.runtime.LogLine;
import dev.corral.state.ContainerPaths;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.ListProcessesTask;
import dev.corral.supervisor.task.ProcessView;
import dev.corral.supervisor.thread.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * {@code GET /v1/containers/{id}/logs[?follow=1&since=&tail=N&stdout=1&stderr=1]}: the container's
 * output from conmon's k8s-file log, as NDJSON, one object per log entry: {@code {"timestamp":
 * "...Z", "stream": "stdout", "log": "text\n"}}. {@code log} is the output as written: a full line
 * ends in a newline, a partial chunk does not, so concatenating {@code log} per stream restores the
 * output. With {@code follow=1} the stream goes on until the container has stopped and the log is
 * drained (or it is deleted).
 *
 * <p>Thread-safe; each stream runs on its own request thread, which polls the file.
 */
final class LogRoutes {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final String INIT = Ids.INIT;
  private static final Duration LOOKUP = Duration.ofSeconds(30);

  private final Supervisor supervisor;
  private final Path root;
  private final StreamSlots streams;

  LogRoutes(Supervisor supervisor, Path root, StreamSlots streams) {
    this.supervisor = supervisor;
    this.root = root;
    this.streams = streams;
  }

  void register(Router r) {
    r.add("GET", "/v1/containers/{id}/logs", this::logs);
  }

  private void logs(Exchange x) throws Exception {
    String id = Ids.require("id", x.path("id"));
    String pid = pid(x);
    LogQuery q = LogQuery.of(x);
    lookUp(id); // not_found before any path is opened
    if (!INIT.equals(pid)) {
      lookUpProcess(id, pid);
    }
    // Only a followed log holds its thread past the end of the file.
    StreamSlots.Slot slot = q.follow() ? streams.open() : null;
    try {
      logs(x, id, pid, q);
    } finally {
      if (slot != null) {
        slot.close();
      }
    }
  }

  private void logs(Exchange x, String id, String pid, LogQuery q) throws Exception {
    LogReader reader = new LogReader(logFile(id, pid));
    x.response.setStatus(200);
    x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    try (OutputStream out = Content.Sink.asOutputStream(x.response)) {
      write(out, tail(q, reader.readNew()), q);
      out.flush();
      if (q.follow()) {
        follow(id, pid, reader, out, q);
      }
      x.callback.succeeded();
    } catch (IOException e) {
      x.callback.failed(e); // the client went away
    }
  }

  private static List<LogLine> tail(LogQuery q, List<LogLine> lines) {
    if (q.tail() < 0) {
      return lines;
    }
    ArrayDeque<LogLine> last = new ArrayDeque<>();
    for (LogLine l : lines) {
      if (q.accepts(l)) {
        last.addLast(l);
        if (last.size() > q.tail()) {
          last.removeFirst();
        }
      }
    }
    return List.copyOf(last);
  }

  /** {@code ?pid=}: "init" (the default) or an exec id, validated before it names a file. */
  private static String pid(Exchange x) {
    String pid = x.query().getValue("pid");
    return pid == null || INIT.equals(pid) ? INIT : Ids.require("pid", pid);
  }

  /** The init's log is the container's; an exec's conmon keeps its own in the exec's dir. */
  private Path logFile(String id, String pid) {
    ContainerPaths paths = new ContainerPaths(root.resolve("containers").resolve(id));
    return INIT.equals(pid) ? paths.log() : paths.execDir(pid).resolve("exec.log");
  }

  /** Until the process has stopped and a last read found the rest of its output. */
  private void follow(String id, String pid, LogReader reader, OutputStream out, LogQuery q)
      throws IOException, InterruptedException {
    while (true) {
      List<LogLine> lines = reader.readNew();
      if (!lines.isEmpty()) {
        write(out, lines, q);
        out.flush();
        continue;
      }
      if (!running(id, pid)) {
        write(out, reader.readNew(), q);
        return;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private boolean running(String id, String pid) {
    try {
      String status = INIT.equals(pid) ? lookUp(id).status() : lookUpProcess(id, pid).status();
      return status.equals("running") || status.equals("creating") || status.equals("paused");
    } catch (CorralException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) {
        return false; // deleted while followed
      }
      throw e;
    }
  }

  private ProcessView lookUpProcess(String id, String pid) {
    ListProcessesTask t = new ListProcessesTask(id, new Reply<>());
    supervisor.submit(t);
    return t.reply().await(LOOKUP).stream()
        .filter(p -> p.id().equals(pid))
        .findFirst()
        .orElseThrow(
            () -> CorralException.notFound("container %s: process %s: not found", id, pid));
  }

  private ContainerView lookUp(String id) {
    GetContainersTask t = new GetContainersTask(id, Map.of(), new Reply<>());
    supervisor.submit(t);
    return t.reply().await(LOOKUP).get(0);
  }

  private static void write(OutputStream out, List<LogLine> lines, LogQuery q) throws IOException {
    for (LogLine l : lines) {
      if (q.accepts(l)) {
        out.write(json(l).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  static String json(LogLine l) {
    JsonObject o = new JsonObject();
    o.addProperty("timestamp", Timestamps.format(l.timestamp()));
    o.addProperty("stream", l.stream());
    o.addProperty("log", l.output());
    return Json.GSON.toJson(o) + "\n";
  }
}
