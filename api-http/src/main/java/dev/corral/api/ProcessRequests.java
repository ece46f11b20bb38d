package dev.corral.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.corral.core.CorralException;
import dev.corral.supervisor.task.ProcessRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the {@code process} object of a create request that names a {@code rootfs} ({@link
 * ResourceRequests} parses its {@code resources}). Its shape follows the OCI spec's own ({@code
 * process.user.uid}); every error names its field by its dotted path.
 *
 * <p>Stateless; thread-safe.
 */
final class ProcessRequests {
  private static final Set<String> PROCESS = Set.of("args", "env", "cwd", "terminal", "user");
  private static final Set<String> USER = Set.of("uid", "gid");

  private ProcessRequests() {}

  static ProcessRequest process(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    JsonObject o = object(e, "process", PROCESS);
    JsonObject user =
        o.has("user") ? object(o.get("user"), "process.user", USER) : new JsonObject();
    return new ProcessRequest(
        strings(o.get("args"), "process.args"),
        strings(o.get("env"), "process.env"),
        Json.string(o, "cwd"),
        Json.bool(o, "terminal"),
        id(user, "uid"),
        id(user, "gid"));
  }

  /** An object with only {@code allowed} fields; a typo is refused, never silently ignored. */
  private static JsonObject object(JsonElement e, String field, Set<String> allowed) {
    if (!e.isJsonObject()) {
      throw CorralException.invalidArgument("%s: must be an object", field);
    }
    JsonObject o = e.getAsJsonObject();
    for (String k : o.keySet()) {
      if (!allowed.contains(k)) {
        throw CorralException.invalidArgument("%s.%s: unknown field", field, k);
      }
    }
    return o;
  }

  private static int id(JsonObject user, String name) {
    Long v = Json.integer(user, name, "process.user." + name);
    if (v != null && (v < 0 || v > Integer.MAX_VALUE)) {
      throw CorralException.invalidArgument("process.user.%s: %d is out of range", name, v);
    }
    return v == null ? 0 : v.intValue();
  }

  static List<String> strings(JsonElement e, String field) {
    if (e == null || e.isJsonNull()) {
      return List.of();
    }
    if (!e.isJsonArray()) {
      throw CorralException.invalidArgument("%s: must be an array of strings", field);
    }
    List<String> out = new ArrayList<>();
    for (JsonElement v : e.getAsJsonArray()) {
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
        throw CorralException.invalidArgument("%s: must be an array of strings", field);
      }
      out.add(v.getAsString());
    }
    return out;
  }
}
