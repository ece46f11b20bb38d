package dev.corral.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Option;

/**
 * The resource-limit flags {@code run}/{@code create} and {@code update} share (a picocli mixin).
 * Both send them in the API's one resources shape, with OCI's names ({@code memory.limit}, {@code
 * cpu.shares}, ...). The daemon checks the ranges.
 *
 * <p>Filled by picocli on the main thread, then read there.
 */
final class ResourceFlags {
  @Option(
      names = {"-m", "--memory"},
      paramLabel = "SIZE",
      converter = Sizes.class,
      description = "Memory limit: bytes, or with k, m, g, t, p as docker reads them (64m, 0.5g).")
  Long memory;

  @Option(names = "--cpu-shares", paramLabel = "N", description = "Relative CPU weight.")
  Long cpuShares;

  @Option(
      names = "--cpu-quota",
      paramLabel = "N",
      description = "CPU time per period, in microseconds (update: -1 for unlimited).")
  Long cpuQuota;

  @Option(names = "--cpu-period", paramLabel = "N", description = "CPU period, in microseconds.")
  Long cpuPeriod;

  @Option(
      names = {"--pids-limit", "--pids"},
      paramLabel = "N",
      description = "Maximum number of tasks (update: -1 for unlimited).")
  Long pids;

  boolean any() {
    return memory != null
        || cpuShares != null
        || cpuQuota != null
        || cpuPeriod != null
        || pids != null;
  }

  /**
   * The {@code resources} of a create, and the whole body of {@code PATCH .../resources}: {@code
   * {memory: {limit}, cpu: {...}, pids: {limit}}}, only the limits given.
   */
  JsonObject nested() {
    JsonObject r = new JsonObject();
    JsonObject cpu = new JsonObject();
    put(cpu, "shares", cpuShares);
    put(cpu, "quota", cpuQuota);
    put(cpu, "period", cpuPeriod);
    nest(r, "memory", "limit", memory);
    if (cpu.size() > 0) {
      r.add("cpu", cpu);
    }
    nest(r, "pids", "limit", pids);
    return r;
  }

  private static void nest(JsonObject o, String name, String field, Long value) {
    if (value != null) {
      JsonObject inner = new JsonObject();
      inner.addProperty(field, value);
      o.add(name, inner);
    }
  }

  private static void put(JsonObject o, String name, Long value) {
    if (value != null) {
      o.addProperty(name, value);
    }
  }
}
