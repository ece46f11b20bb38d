package dev.corral.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    description = "Change a container's resource limits or restart policy.",
    sortOptions = false)
final class UpdateCommand extends ApiCommand {
  @Mixin ResourceFlags limits;

  @Option(
      names = "--restart",
      paramLabel = "POLICY",
      description = "New restart policy: no, always, on-failure[:N] or unless-stopped.")
  String restart;

  @Parameters(paramLabel = "ID", description = "Container id.")
  String id;

  @Override
  int run(Client c) {
    JsonObject body = body();
    if (body.size() == 0 && restart == null) {
      throw new ParameterException(
          spec.commandLine(),
          "nothing to update: give --memory, --cpu-shares, --cpu-quota, --cpu-period, --pids"
              + " or --restart");
    }
    if (restart != null) {
      JsonObject patch = new JsonObject();
      patch.add("restartPolicy", RestartFlag.policy(spec, restart));
      c.call("PATCH", "/v1/containers/" + id(id), patch.toString());
    }
    if (body.size() > 0) {
      c.call("PATCH", "/v1/containers/" + id(id) + "/resources", body.toString());
    }
    out().println(id);
    return 0;
  }

  /** The PATCH body: only the limits given, nested as a create's (the daemon checks ranges). */
  JsonObject body() {
    return limits.nested();
  }
}
