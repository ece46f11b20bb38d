package dev.corral.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.task.AddProcessTask;
import dev.corral.supervisor.task.ExecProcessRequest;
import dev.corral.supervisor.task.ExecRequest;
import dev.corral.supervisor.task.ExitView;
import dev.corral.supervisor.task.ListProcessesTask;
import dev.corral.supervisor.task.UpdateProcessTask;
import dev.corral.supervisor.task.WaitProcessTask;
import dev.corral.supervisor.task.WaitTask;
import dev.corral.supervisor.thread.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The process routes: exec, list, wait for one process. Each parses and validates on the request
 * thread, then submits one task.
 *
 * <p>Stateless beyond its collaborators; thread-safe.
 */
final class ProcessRoutes {
  private static final Set<String> FIELDS =
      Set.of("id", "args", "env", "cwd", "user", "terminal", "consoleSize", "stdin");
  private static final Set<String> USER_FIELDS = Set.of("uid", "gid");

  private final Replies replies;

  ProcessRoutes(Replies replies) {
    this.replies = replies;
  }

  void register(Router r) {
    r.add("POST", "/v1/containers/{id}/processes", this::exec)
        .add("GET", "/v1/containers/{id}/processes", this::list)
        .add("POST", "/v1/containers/{id}/processes/{pid}/wait", this::waitFor)
        .add("POST", "/v1/containers/{id}/processes/{pid}/close-stdin", this::closeStdin)
        .add("POST", "/v1/containers/{id}/processes/{pid}/resize", this::resize);
  }

  private void exec(Exchange x) {
    ContainerRef id = id(x);
    AddProcessTask t = new AddProcessTask(id, parse(Json.parseObject(x.body())), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(201, v));
  }

  private void list(Exchange x) {
    ListProcessesTask t = new ListProcessesTask(id(x), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v));
  }

  /** No deadline: a process may run as long as it likes. "init" waits for the container. */
  private void waitFor(Exchange x) {
    ContainerRef id = id(x);
    String pid = x.path("pid");
    if (Ids.INIT.equals(pid)) {
      WaitTask t = new WaitTask(id, new Reply<ExitView>());
      replies.submit(x, t, t.reply(), null, v -> x.json(200, v));
      return;
    }
    WaitProcessTask t = new WaitProcessTask(id, pid, new Reply<>());
    replies.submit(x, t, t.reply(), null, v -> x.json(200, v));
  }

  private void closeStdin(Exchange x) {
    UpdateProcessTask t = UpdateProcessTask.closeStdin(id(x), x.path("pid"), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.noContent());
  }

  private void resize(Exchange x) {
    UpdateProcessTask t = parseResize(id(x), x.path("pid"), Json.parseObject(x.body()));
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.noContent());
  }

  /** The body of POST .../resize; every error names its field. */
  static UpdateProcessTask parseResize(ContainerRef id, String pid, JsonObject o) {
    onlyFields(o, Set.of("height", "width"), "");
    return new UpdateProcessTask(
        id,
        pid,
        UpdateProcessTask.Action.RESIZE,
        dimension(o, "", "height"),
        dimension(o, "", "width"),
        new Reply<>());
  }

  /** A required integer, clamped to int; errors name {@code prefix + field}. */
  private static int dimension(JsonObject o, String prefix, String field) {
    Long v = Json.integer(o, field, prefix + field);
    if (v == null) {
      throw CorralException.invalidArgument("%s%s: is required", prefix, field);
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  /** The body of POST .../processes; every error names its field. */
  static ExecRequest parse(JsonObject o) {
    onlyFields(o, FIELDS, "");
    JsonObject user = user(o.get("user"));
    ExecProcessRequest p =
        new ExecProcessRequest(
            strings(o.get("args"), "args"),
            strings(o.get("env"), "env"),
            Json.string(o, "cwd"),
            id(user, "uid"),
            id(user, "gid"),
            Json.bool(o, "terminal"),
            consoleSize(o.get("consoleSize")));
    return new ExecRequest(Json.string(o, "id"), p, Json.bool(o, "stdin"));
  }

  private static ExecProcessRequest.ConsoleSize consoleSize(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonObject()) {
      throw CorralException.invalidArgument("consoleSize: must be an object {height, width}");
    }
    JsonObject o = e.getAsJsonObject();
    onlyFields(o, Set.of("height", "width"), "consoleSize.");
    return new ExecProcessRequest.ConsoleSize(
        dimension(o, "consoleSize.", "height"), dimension(o, "consoleSize.", "width"));
  }

  private static JsonObject user(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return new JsonObject();
    }
    if (!e.isJsonObject()) {
      throw CorralException.invalidArgument("user: must be an object {uid, gid}");
    }
    onlyFields(e.getAsJsonObject(), USER_FIELDS, "user.");
    return e.getAsJsonObject();
  }

  private static Integer id(JsonObject user, String field) {
    Long v = Json.integer(user, field, "user." + field);
    if (v != null && (v < 0 || v > Integer.MAX_VALUE)) {
      throw CorralException.invalidArgument("user.%s: %d is not a valid id", field, v);
    }
    return v == null ? null : v.intValue();
  }

  private static void onlyFields(JsonObject o, Set<String> allowed, String prefix) {
    for (String k : o.keySet()) {
      if (!allowed.contains(k)) {
        throw CorralException.invalidArgument("%s%s: unknown field", prefix, k);
      }
    }
  }

  private static List<String> strings(JsonElement e, String field) {
    if (e == null || e.isJsonNull()) {
      return List.of();
    }
    if (!e.isJsonArray()) {
      throw CorralException.invalidArgument("%s: must be an array of strings", field);
    }
    List<String> out = new ArrayList<>();
    JsonArray a = e.getAsJsonArray();
    for (JsonElement v : a) {
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
        throw CorralException.invalidArgument("%s: must be an array of strings", field);
      }
      out.add(v.getAsString());
    }
    return out;
  }

  private static ContainerRef id(Exchange x) {
    return x.container();
  }
}
