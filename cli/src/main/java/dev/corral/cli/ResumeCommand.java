package dev.corral.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral resume}: thaws paused containers ({@code runc resume}). Goes on past a failure and
 * exits 1 if any failed.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "resume", description = "Thaw paused containers.")
final class ResumeCommand extends ApiCommand {
  @Parameters(arity = "1..*", paramLabel = "ID", description = "Container ids.")
  List<String> ids;

  @Override
  int run(Client c) {
    return PauseCommand.eachId(c, ids, "resume", out(), err());
  }
}
