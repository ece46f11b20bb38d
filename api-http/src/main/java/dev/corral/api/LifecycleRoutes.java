package dev.corral.api;

import com.google.gson.JsonObject;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.supervisor.task.RestartPolicy;
import dev.corral.supervisor.task.StartExistingTask;
import dev.corral.supervisor.task.StopTask;
import dev.corral.supervisor.task.UpdateRestartPolicyTask;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;

/**
 * Start, stop and the restart policy of an existing container: {@code POST .../start}, {@code POST
 * .../stop}, {@code PATCH /v1/containers/{id}}. Each parses and validates on the request thread,
 * then submits one task.
 *
 * <p>Stateless beyond its collaborators; thread-safe.
 */
final class LifecycleRoutes {
  /** A stop answers once the container exited: its grace period plus this much for the KILL. */
  private static final Duration STOP_SLACK = Duration.ofSeconds(30);

  private final Replies replies;

  LifecycleRoutes(Replies replies) {
    this.replies = replies;
  }

  void register(Router r) {
    r.add("POST", "/v1/containers/{id}/start", this::start)
        .add("POST", "/v1/containers/{id}/stop", this::stop)
        .add("PATCH", "/v1/containers/{id}", this::update);
  }

  private void start(Exchange x) {
    StartExistingTask t = new StartExistingTask(id(x), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v));
  }

  private void stop(Exchange x) {
    ContainerRef id = id(x);
    String body = x.body();
    int seconds = parseStop(body.isBlank() ? new JsonObject() : Json.parseObject(body));
    StopTask t = new StopTask(id, seconds, new Reply<>());
    Duration deadline = Duration.ofSeconds(seconds).plus(STOP_SLACK);
    replies.submit(x, t, t.reply(), deadline, v -> x.json(200, v));
  }

  /** The grace of a stop body, {@code {"timeout": S}}: seconds, the default when absent. */
  static int parseStop(JsonObject o) {
    only(o, "timeout");
    Long timeout = Json.integer(o, "timeout");
    if (timeout != null && (timeout < 0 || timeout > StopTask.MAX_TIMEOUT)) {
      throw CorralException.invalidArgument(
          "timeout: must be 0..%d seconds, not %d", StopTask.MAX_TIMEOUT, timeout);
    }
    return timeout == null ? StopTask.DEFAULT_TIMEOUT : timeout.intValue();
  }

  /** The body of {@code PATCH /v1/containers/{id}}: {@code {"restartPolicy": {...}}}. */
  static RestartPolicy parseUpdate(JsonObject o) {
    only(o, RestartPolicies.FIELD);
    if (!o.has(RestartPolicies.FIELD)) {
      throw CorralException.invalidArgument("%s: is required", RestartPolicies.FIELD);
    }
    return RestartPolicies.parse(o);
  }

  private void update(Exchange x) {
    ContainerRef id = id(x);
    RestartPolicy policy = parseUpdate(Json.parseObject(x.body()));
    UpdateRestartPolicyTask t = new UpdateRestartPolicyTask(id, policy, new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v));
  }

  private static ContainerRef id(Exchange x) {
    return x.container();
  }

  private static void only(JsonObject o, String field) {
    for (String k : o.keySet()) {
      if (!k.equals(field)) {
        throw CorralException.invalidArgument("%s: unknown field", k);
      }
    }
  }
}
