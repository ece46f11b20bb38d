package dev.corral.api;

import com.google.gson.JsonObject;
import dev.corral.core.ContainerRef;
import dev.corral.supervisor.task.ResourceChange;
import dev.corral.supervisor.task.UpdateTask;
import dev.corral.supervisor.thread.Reply;

/**
 * The routes that act on a live container: pause, resume and resources. Each parses and validates
 * on the request thread, then submits one task and answers with the container.
 *
 * <p>Stateless beyond its collaborators; thread-safe.
 */
final class LiveRoutes {
  private final Replies replies;

  LiveRoutes(Replies replies) {
    this.replies = replies;
  }

  void register(Router r) {
    r.add(
            "POST",
            "/v1/containers/{id}/pause",
            x -> update(x, UpdateTask.pause(id(x), new Reply<>())))
        .add(
            "POST",
            "/v1/containers/{id}/resume",
            x -> update(x, UpdateTask.resume(id(x), new Reply<>())))
        .add("PATCH", "/v1/containers/{id}/resources", this::resources);
  }

  private void update(Exchange x, UpdateTask t) {
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v));
  }

  private void resources(Exchange x) {
    ContainerRef id = id(x);
    ResourceChange r = parseResources(Json.parseObject(x.body()));
    update(x, new UpdateTask(id, UpdateTask.Action.RESOURCES, r, new Reply<>()));
  }

  /** The body of PATCH .../resources: the one resources shape; every error names its field. */
  static ResourceChange parseResources(JsonObject o) {
    return ResourceRequests.change(o);
  }

  private static ContainerRef id(Exchange x) {
    return x.container();
  }
}
