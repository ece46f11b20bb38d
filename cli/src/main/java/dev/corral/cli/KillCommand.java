package dev.corral.cli;

import com.google.gson.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral kill}: sends a signal (KILL by default) to containers' init, or to all their
 * processes with {@code --all}.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "kill", description = "Signal containers (default KILL).", sortOptions = false)
final class KillCommand extends ApiCommand {
  @Option(
      names = {"-s", "--signal"},
      paramLabel = "SIGNAL",
      defaultValue = "KILL",
      description = "Name (TERM, SIGHUP) or number (default: ${DEFAULT-VALUE}).")
  String signal;

  @Option(
      names = {"-a", "--all"},
      description = "Signal every process of the container, not only its init.")
  boolean all;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Container ids.")
  List<String> ids;

  @Override
  int run(Client c) {
    JsonObject body = new JsonObject();
    if (signal.matches("\\d+")) {
      body.addProperty("signal", Integer.parseInt(signal));
    } else {
      body.addProperty("signal", signal);
    }
    body.addProperty("all", all);
    for (String id : ids) {
      c.post("/v1/containers/" + id(id) + "/signal", body.toString());
      out().println(id);
    }
    return 0;
  }
}
