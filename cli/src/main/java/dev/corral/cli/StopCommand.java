package dev.corral.cli;

import com.google.gson.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral stop}: stops containers as their user (the stop signal, KILL after the timeout);
 * their restart policy leaves them stopped. Prints each id once it has exited; goes on past a
 * failure and exits 1 if any failed.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "stop", description = "Stop running containers.", sortOptions = false)
final class StopCommand extends ApiCommand {
  @Option(
      names = {"-t", "--time"},
      paramLabel = "SECONDS",
      defaultValue = "10",
      description =
          "Seconds to wait after the stop signal before KILL (default: ${DEFAULT-VALUE}).")
  int timeout;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Container ids.")
  List<String> ids;

  @Override
  int run(Client c) {
    JsonObject body = new JsonObject();
    body.addProperty("timeout", timeout);
    return PauseCommand.eachId(c, ids, "stop", body.toString(), out(), err());
  }
}
