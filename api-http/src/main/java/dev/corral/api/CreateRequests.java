package dev.corral.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.PodPart;
import dev.corral.supervisor.task.ProcessRequest;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns the body of {@code POST /v1/containers} into a {@link CreateRequest}; every error names its
 * field. Unknown fields are refused so a typo never silently does nothing.
 */
final class CreateRequests {
  private static final Set<String> FIELDS =
      Set.of(
          "id",
          "bundle",
          "labels",
          "stdin",
          "terminal",
          "runtime",
          "runtimeArgs",
          "noPivotRoot",
          "checkpoint",
          "rootfs",
          "process",
          "resources",
          "pod",
          "name",
          RestartPolicies.FIELD);

  private CreateRequests() {}

  static CreateRequest parse(String namespace, JsonObject o) {
    for (String k : o.keySet()) {
      if (!FIELDS.contains(k)) {
        throw CorralException.invalidArgument("%s: unknown field", k);
      }
    }
    unsupported(o);
    ProcessRequest process = ProcessRequests.process(o.get("process"));
    return new CreateRequest(
        new ContainerRef(namespace, Ids.require("id", Json.string(o, "id"))),
        path("bundle", Json.string(o, "bundle")),
        labels(o.get("labels")),
        Json.bool(o, "stdin"),
        // conmon must allocate the pty that a generated spec's process asks for
        Json.bool(o, "terminal") || (process != null && process.terminal()),
        ProcessRequests.strings(o.get("runtimeArgs"), "runtimeArgs"),
        path("rootfs", Json.string(o, "rootfs")),
        process,
        ResourceRequests.limits(o.get("resources")),
        path("checkpoint", Json.string(o, "checkpoint")),
        pod(Json.string(o, "pod"), Json.string(o, "name")));
  }

  /** {@code pod} and {@code name} come together: the container joins that pod under that name. */
  private static PodPart pod(String uid, String name) {
    if (uid == null && name == null) {
      return null;
    }
    if (uid == null) {
      throw CorralException.invalidArgument("name: only with pod (a container's id is its name)");
    }
    if (name == null) {
      throw CorralException.invalidArgument("name: is required with pod");
    }
    return new PodPart.Join(uid, name);
  }

  private static void unsupported(JsonObject o) {
    String runtime = Json.string(o, "runtime");
    if (runtime != null && !runtime.equals("runc")) {
      throw CorralException.invalidArgument(
          "runtime: only \"runc\" is supported, not \"%s\"", runtime);
    }
    if (Json.bool(o, "noPivotRoot")) {
      throw CorralException.notImplemented("noPivotRoot: not supported yet");
    }
  }

  private static Path path(String field, String s) {
    if (s == null) {
      return null;
    }
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw CorralException.invalidArgument("%s: not a path: %s", field, e.getReason());
    }
  }

  static Map<String, String> labels(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return Map.of();
    }
    if (!e.isJsonObject()) {
      throw CorralException.invalidArgument("labels: must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> kv : e.getAsJsonObject().entrySet()) {
      JsonElement v = kv.getValue();
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
        throw CorralException.invalidArgument(
            "labels: value of \"%s\" must be a string", kv.getKey());
      }
      out.put(kv.getKey(), v.getAsString());
    }
    return out;
  }
}
