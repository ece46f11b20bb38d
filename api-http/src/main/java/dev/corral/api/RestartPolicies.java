package dev.corral.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.corral.core.CorralException;
import dev.corral.supervisor.task.RestartPolicy;
import java.util.Set;

/**
 * Parses {@code restartPolicy} ({@code {"name", "maximumRetryCount"}}) in a create or update body;
 * every error names the field ({@code restartPolicy.name}). Stateless.
 */
final class RestartPolicies {
  static final String FIELD = "restartPolicy";
  private static final Set<String> FIELDS = Set.of("name", "maximumRetryCount");

  private RestartPolicies() {}

  /** The policy in {@code body}, or {@link RestartPolicy#NO} when absent. */
  static RestartPolicy parse(JsonObject body) {
    JsonElement e = body.get(FIELD);
    if (e == null || e.isJsonNull()) {
      return RestartPolicy.NO;
    }
    if (!e.isJsonObject()) {
      throw CorralException.invalidArgument("%s: must be an object", FIELD);
    }
    JsonObject o = e.getAsJsonObject();
    for (String k : o.keySet()) {
      if (!FIELDS.contains(k)) {
        throw CorralException.invalidArgument("%s.%s: unknown field", FIELD, k);
      }
    }
    JsonElement name = o.get("name");
    if (name == null || !name.isJsonPrimitive() || !name.getAsJsonPrimitive().isString()) {
      throw CorralException.invalidArgument("%s.name: is required, a string", FIELD);
    }
    Long count = Json.integer(o, "maximumRetryCount", FIELD + ".maximumRetryCount");
    if (count != null && (count < Integer.MIN_VALUE || count > Integer.MAX_VALUE)) {
      throw CorralException.invalidArgument(
          "%s.maximumRetryCount: %d is out of range", FIELD, count);
    }
    return new RestartPolicy(name.getAsString(), count == null ? 0 : count.intValue());
  }
}
