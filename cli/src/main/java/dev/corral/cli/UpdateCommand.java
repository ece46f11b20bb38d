package dev.corral.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code corral update}: changes a running container's limits ({@code runc update}); only the
 * limits given change. Prints the id.
 *
 * <p>Runs on the main thread.
 */
@Command(
    name = "update",
    description = "Change a container's resource limits.",
    sortOptions = false)
final class UpdateCommand extends ApiCommand {
  @Option(
      names = {"-m", "--memory"},
      paramLabel = "SIZE",
      converter = Sizes.class,
      description = "Memory limit: bytes, or with k, m, g (64m).")
  Long memory;

  @Option(names = "--cpu-shares", paramLabel = "N", description = "Relative CPU weight.")
  Long cpuShares;

  @Option(
      names = "--cpu-quota",
      paramLabel = "N",
      description = "CPU time per period, in microseconds (-1: unlimited).")
  Long cpuQuota;

  @Option(names = "--cpu-period", paramLabel = "N", description = "CPU period, in microseconds.")
  Long cpuPeriod;

  @Option(
      names = {"--pids", "--pids-limit"},
      paramLabel = "N",
      description = "Maximum number of tasks (-1: unlimited).")
  Long pids;

  @Parameters(paramLabel = "ID", description = "Container id.")
  String id;

  @Override
  int run(Client c) {
    JsonObject body = body();
    if (body.size() == 0) {
      throw new ParameterException(
          spec.commandLine(),
          "nothing to update: give --memory, --cpu-shares, --cpu-quota, --cpu-period or --pids");
    }
    c.call("PATCH", "/v1/containers/" + id(id) + "/resources", body.toString());
    out().println(id);
    return 0;
  }

  /** The PATCH body: only the limits given (the daemon checks their ranges). */
  JsonObject body() {
    JsonObject o = new JsonObject();
    put(o, "memory", memory);
    put(o, "cpuShares", cpuShares);
    put(o, "cpuQuota", cpuQuota);
    put(o, "cpuPeriod", cpuPeriod);
    put(o, "pids", pids);
    return o;
  }

  private static void put(JsonObject o, String name, Long value) {
    if (value != null) {
      o.addProperty(name, value);
    }
  }
}
