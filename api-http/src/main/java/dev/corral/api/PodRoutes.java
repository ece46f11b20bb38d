package dev.corral.api;

import com.google.gson.JsonObject;
import dev.corral.core.CorralException;
import dev.corral.core.Durations;
import dev.corral.core.Timestamps;
import dev.corral.supervisor.task.CreatePodTask;
import dev.corral.supervisor.task.DeletePodTask;
import dev.corral.supervisor.task.ListPodsTask;
import dev.corral.supervisor.task.PodPart;
import dev.corral.supervisor.task.PodRequest;
import dev.corral.supervisor.task.PodStatusTask;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Pods: {@code POST /v1/pods}, {@code GET /v1/pods[?all=1]}, {@code GET /v1/pods/{uid}}, {@code GET
 * /v1/pods/{uid}/status?newerThan=T[&timeout=D]} (a long poll: 200 with a newer status, 304 at the
 * timeout; no thread waits meanwhile) and {@code DELETE /v1/pods/{uid}[?force=1]}. The corral
 * namespace comes from the {@code Corral-Namespace} header or the {@code namespace} parameter; the
 * body's {@code namespace} is the pod's own, as in Kubernetes.
 *
 * <p>Stateless beyond its collaborators; thread-safe.
 */
final class PodRoutes {
  /** How long a status request waits for a change by default, and at most. */
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  static final Duration MAX_WAIT = Duration.ofMinutes(5);

  /** A delete answers once every container had its grace; this much on top for the rest. */
  private static final Duration DELETE_DEADLINE = Duration.ofSeconds(60);

  private static final Set<String> FIELDS =
      Set.of("uid", "name", "namespace", "hostname", "labels");

  private final Replies replies;

  PodRoutes(Replies replies) {
    this.replies = replies;
  }

  void register(Router r) {
    r.add("POST", "/v1/pods", this::create, "namespace")
        .add("GET", "/v1/pods", this::list, "namespace", "all")
        .add("GET", "/v1/pods/{uid}", this::get, "namespace")
        .add("GET", "/v1/pods/{uid}/status", this::status, "namespace", "newerThan", "timeout")
        .add("DELETE", "/v1/pods/{uid}", this::delete, "namespace", "force");
  }

  private void create(Exchange x) {
    PodRequest req = parse(x.namespace(), Json.parseObject(x.body()));
    CreatePodTask t = new CreatePodTask(req, new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(201, v));
  }

  /** The body of {@code POST /v1/pods}, in corral namespace {@code namespace}. */
  static PodRequest parse(String namespace, JsonObject o) {
    for (String k : o.keySet()) {
      if (!FIELDS.contains(k)) {
        throw CorralException.invalidArgument("%s: unknown field", k);
      }
    }
    String uid = Json.string(o, "uid");
    if (uid == null) {
      throw CorralException.invalidArgument("uid: is required");
    }
    String name = Json.string(o, "name");
    if (name == null) {
      throw CorralException.invalidArgument("name: is required");
    }
    String hostname = Json.string(o, "hostname");
    Map<String, String> labels = CreateRequests.labels(o.get("labels"));
    return new PodRequest(namespace, uid, name, Json.string(o, "namespace"), hostname, labels);
  }

  private void list(Exchange x) {
    ListPodsTask t = new ListPodsTask(x.namespace(), x.flag("all"), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v));
  }

  private void get(Exchange x) {
    PodStatusTask t = new PodStatusTask(x.namespace(), uid(x), null, Duration.ZERO, new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v.orElseThrow()));
  }

  private void status(Exchange x) {
    String uid = uid(x);
    String since = x.query().getValue("newerThan");
    String wait = x.query().getValue("timeout");
    Long newerThan = since == null ? null : Timestamps.parseNanos("newerThan", since);
    Duration timeout = wait == null ? DEFAULT_WAIT : Durations.parse("timeout", wait, MAX_WAIT);
    PodStatusTask t = new PodStatusTask(x.namespace(), uid, newerThan, timeout, new Reply<>());
    // The loop answers at the timeout; the waiter gives up only if it does not, well after.
    Duration deadline = timeout.plus(Replies.DEFAULT_DEADLINE);
    replies.submitQuick(
        x,
        t,
        t.reply(),
        deadline,
        v -> {
          if (v.isPresent()) {
            x.json(200, v.get());
          } else {
            x.notModified();
          }
        });
  }

  private void delete(Exchange x) {
    DeletePodTask t = new DeletePodTask(x.namespace(), uid(x), x.flag("force"), new Reply<>());
    replies.submit(x, t, t.reply(), DELETE_DEADLINE, v -> x.noContent());
  }

  private static String uid(Exchange x) {
    return PodPart.requireUid("uid", x.path("uid"));
  }
}
