package dev.corral.api;

import com.google.gson.JsonObject;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.task.CheckpointRequest;
import dev.corral.supervisor.task.CreateCheckpointTask;
import dev.corral.supervisor.task.DeleteCheckpointTask;
import dev.corral.supervisor.task.ListCheckpointsTask;
import dev.corral.supervisor.thread.Reply;
import java.util.Set;

/**
 * The checkpoint routes: create (CRIU through {@code runc checkpoint}), list, get and delete. Each
 * parses and validates on the request thread, then submits one task.
 *
 * <p>Stateless beyond its collaborators; thread-safe.
 */
final class CheckpointRoutes {
  private static final Set<String> FIELDS =
      Set.of("name", "leaveRunning", "tcp", "unixSockets", "shell");

  private final Replies replies;

  CheckpointRoutes(Replies replies) {
    this.replies = replies;
  }

  void register(Router r) {
    r.add("POST", "/v1/containers/{id}/checkpoints", this::create)
        .add("GET", "/v1/containers/{id}/checkpoints", this::list)
        .add("GET", "/v1/containers/{id}/checkpoints/{name}", this::get)
        .add("DELETE", "/v1/containers/{id}/checkpoints/{name}", this::delete);
  }

  private void create(Exchange x) {
    ContainerRef id = id(x);
    CreateCheckpointTask t = parse(id, Json.parseObject(x.body()));
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(201, v));
  }

  static CreateCheckpointTask parse(ContainerRef id, JsonObject o) {
    for (String k : o.keySet()) {
      if (!FIELDS.contains(k)) {
        throw CorralException.invalidArgument("%s: unknown field", k);
      }
    }
    CheckpointRequest options =
        new CheckpointRequest(
            Json.bool(o, "leaveRunning"),
            Json.bool(o, "tcp"),
            Json.bool(o, "unixSockets"),
            Json.bool(o, "shell"));
    return new CreateCheckpointTask(id, Json.string(o, "name"), options, new Reply<>());
  }

  private void list(Exchange x) {
    ListCheckpointsTask t = new ListCheckpointsTask(id(x), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v));
  }

  private void get(Exchange x) {
    ContainerRef id = id(x);
    String name = Ids.require("name", x.path("name"));
    ListCheckpointsTask t = new ListCheckpointsTask(id, new Reply<>());
    replies.submit(
        x,
        t,
        t.reply(),
        Replies.DEFAULT_DEADLINE,
        v ->
            v.stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .ifPresentOrElse(
                    c -> x.json(200, c),
                    () ->
                        x.error(
                            CorralException.notFound(
                                "container %s: checkpoint %s: not found", id, name))));
  }

  private void delete(Exchange x) {
    ContainerRef id = id(x);
    DeleteCheckpointTask t =
        new DeleteCheckpointTask(id, Ids.require("name", x.path("name")), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.noContent());
  }

  private static ContainerRef id(Exchange x) {
    return x.container();
  }
}
