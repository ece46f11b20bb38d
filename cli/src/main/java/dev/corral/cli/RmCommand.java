package dev.corral.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral rm}: deletes stopped containers, or running ones with {@code -f} (killed first).
 * Goes on past a failure and exits 1 if any failed.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "rm", description = "Delete containers.", sortOptions = false)
final class RmCommand extends ApiCommand {
  @Option(
      names = {"-f", "--force"},
      description = "Kill a running container first.")
  boolean force;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Container ids.")
  List<String> ids;

  @Override
  int run(Client c) {
    int code = 0;
    for (String id : ids) {
      try {
        c.delete("/v1/containers/" + id(id) + (force ? "?force=1" : ""));
        out().println(id);
      } catch (CliException e) {
        err().println("corral: " + e.getMessage());
        code = 1;
      }
    }
    return code;
  }
}
