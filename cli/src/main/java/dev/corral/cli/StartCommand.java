package dev.corral.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral start}: runs stopped containers again from their saved spec (same id, the log
 * appended to). Prints each id once it runs.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "start", description = "Start stopped containers again.", sortOptions = false)
final class StartCommand extends ApiCommand {
  @Parameters(arity = "1..*", paramLabel = "ID", description = "Container ids.")
  List<String> ids;

  @Override
  int run(Client c) {
    return PauseCommand.eachId(c, ids, "start", out(), err());
  }
}
