package dev.corral.api;

import com.google.gson.JsonObject;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Signals;
import dev.corral.supervisor.task.DeleteTask;
import dev.corral.supervisor.task.ExitView;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.task.WaitTask;
import dev.corral.supervisor.thread.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The container routes of the v1 API: create, list, get, signal, wait, delete. Each parses and
 * validates on the request thread, then submits one task.
 *
 * <p>Stateless beyond its collaborators; thread-safe.
 */
final class ContainerRoutes {
  private final Replies replies;

  ContainerRoutes(Replies replies) {
    this.replies = replies;
  }

  void register(Router r) {
    r.add("POST", "/v1/containers", this::create)
        .add("GET", "/v1/containers", this::list, "label")
        .add("GET", "/v1/containers/{id}", this::get)
        .add("DELETE", "/v1/containers/{id}", this::delete, "force")
        .add("POST", "/v1/containers/{id}/signal", this::signal)
        .add("POST", "/v1/containers/{id}/wait", this::waitFor);
  }

  private void create(Exchange x) {
    JsonObject body = Json.parseObject(x.body());
    StartTask t =
        new StartTask(
            CreateRequests.parse(x.namespace(), body), RestartPolicies.parse(body), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(201, v));
  }

  private void list(Exchange x) {
    GetContainersTask t =
        new GetContainersTask(
            x.namespace(), null, labelFilter(x.query().getValues("label")), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v));
  }

  private static Map<String, String> labelFilter(List<String> values) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : values == null ? List.<String>of() : values) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw CorralException.invalidArgument("label: \"%s\" is not key=value", kv);
      }
      m.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return m;
  }

  private void get(Exchange x) {
    ContainerRef id = id(x);
    GetContainersTask t = new GetContainersTask(id.namespace(), id.id(), Map.of(), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v.get(0)));
  }

  private void delete(Exchange x) {
    DeleteTask t = new DeleteTask(id(x), x.flag("force"), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.noContent());
  }

  private void signal(Exchange x) {
    SignalTask t = parseSignal(id(x), Json.parseObject(x.body()));
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.noContent());
  }

  /** The body of POST .../signal; every error names its field. */
  static SignalTask parseSignal(ContainerRef id, JsonObject o) {
    onlyFields(o, Set.of("signal", "pid", "all"));
    int sig = Signals.parse("signal", Json.stringOrNumber(o, "signal"));
    return new SignalTask(id, Json.string(o, "pid"), sig, Json.bool(o, "all"), new Reply<>());
  }

  /** No deadline: waiting for an exit may take as long as the container runs. */
  private void waitFor(Exchange x) {
    WaitTask t = new WaitTask(id(x), new Reply<ExitView>());
    replies.submit(x, t, t.reply(), null, v -> x.json(200, v));
  }

  private static ContainerRef id(Exchange x) {
    return x.container();
  }

  private static void onlyFields(JsonObject o, Set<String> allowed) {
    for (String k : o.keySet()) {
      if (!allowed.contains(k)) {
        throw CorralException.invalidArgument("%s: unknown field", k);
      }
    }
  }
}
