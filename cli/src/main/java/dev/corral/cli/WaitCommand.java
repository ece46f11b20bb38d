package dev.corral.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral wait}: blocks until each container exits and prints its exit code, one per line.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "wait", description = "Wait for containers to exit; print their exit codes.")
final class WaitCommand extends ApiCommand {
  @Parameters(arity = "1..*", paramLabel = "ID", description = "Container ids.")
  List<String> ids;

  @Override
  int run(Client c) {
    for (String id : ids) {
      var exit = c.post("/v1/containers/" + id(id) + "/wait", null).json().getAsJsonObject();
      out().println(exit.get("exitCode").getAsInt());
      out().flush();
    }
    return 0;
  }
}
