package dev.corral.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.corral.core.CorralException;
import dev.corral.supervisor.task.ResourceChange;
import dev.corral.supervisor.task.ResourceLimits;
import java.util.Set;

/**
 * The one {@code resources} shape of the API, with OCI {@code LinuxResources} names: {@code
 * {"memory": {"limit"}, "cpu": {"shares", "quota", "period"}, "pids": {"limit"}}}. A create takes
 * it as its {@code resources} field, {@code PATCH .../resources} as its whole body, and the
 * container's JSON shows it the same way. Unknown fields are refused by their dotted path.
 *
 * <p>Stateless; thread-safe.
 */
final class ResourceRequests {
  private static final Set<String> GROUPS = Set.of("memory", "cpu", "pids");

  private ResourceRequests() {}

  /** The values of one resources object; a null one is not given. */
  record Values(Long memoryLimit, Long cpuShares, Long cpuQuota, Long cpuPeriod, Long pidsLimit) {}

  /** The {@code resources} of a create; null when absent. */
  static ResourceLimits limits(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    Values v = values(e, "resources.");
    return new ResourceLimits(
        v.memoryLimit(), v.pidsLimit(), v.cpuShares(), v.cpuQuota(), v.cpuPeriod());
  }

  /** The body of {@code PATCH /v1/containers/{id}/resources}. */
  static ResourceChange change(JsonObject body) {
    Values v = values(body, "");
    return new ResourceChange(
        v.memoryLimit(), v.cpuShares(), v.cpuQuota(), v.cpuPeriod(), v.pidsLimit());
  }

  /** Parses {@code e}; errors name each field as {@code prefix + "memory.limit"}. */
  static Values values(JsonElement e, String prefix) {
    String name = prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1);
    JsonObject o = object(e, name, prefix, GROUPS);
    JsonObject memory = group(o, prefix, "memory", Set.of("limit"));
    JsonObject cpu = group(o, prefix, "cpu", Set.of("shares", "quota", "period"));
    JsonObject pids = group(o, prefix, "pids", Set.of("limit"));
    return new Values(
        Json.integer(memory, "limit", prefix + "memory.limit"),
        Json.integer(cpu, "shares", prefix + "cpu.shares"),
        Json.integer(cpu, "quota", prefix + "cpu.quota"),
        Json.integer(cpu, "period", prefix + "cpu.period"),
        Json.integer(pids, "limit", prefix + "pids.limit"));
  }

  private static JsonObject group(JsonObject o, String prefix, String name, Set<String> fields) {
    JsonElement e = o.get(name);
    return e == null || e.isJsonNull()
        ? new JsonObject()
        : object(e, prefix + name, prefix + name + ".", fields);
  }

  private static JsonObject object(JsonElement e, String name, String prefix, Set<String> allowed) {
    if (!e.isJsonObject()) {
      throw CorralException.invalidArgument("%s: must be an object", name);
    }
    JsonObject o = e.getAsJsonObject();
    for (String k : o.keySet()) {
      if (!allowed.contains(k)) {
        throw CorralException.invalidArgument("%s%s: unknown field", prefix, k);
      }
    }
    return o;
  }
}
