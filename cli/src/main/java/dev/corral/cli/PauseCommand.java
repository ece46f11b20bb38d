package dev.corral.cli;

import dev.corral.core.CorralException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral pause}: freezes containers (the cgroup freezer, through {@code runc pause}). Goes
 * on past a failure and exits 1 if any failed.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "pause", description = "Freeze all processes of containers.")
final class PauseCommand extends ApiCommand {
  @Parameters(arity = "1..*", paramLabel = "ID", description = "Container ids.")
  List<String> ids;

  @Override
  int run(Client c) {
    return eachId(c, ids, "pause", out(), err());
  }

  /** POSTs {@code /v1/containers/ID/verb} for each id; prints the ids that worked. */
  static int eachId(Client c, List<String> ids, String verb, PrintWriter out, PrintWriter err) {
    return eachId(c, ids, verb, null, out, err);
  }

  /**
   * POSTs {@code body} to {@code /v1/containers/ID/verb} for each id, going on past a failure;
   * prints the ids that worked and exits 1 if any failed.
   */
  static int eachId(
      Client c, List<String> ids, String verb, String body, PrintWriter out, PrintWriter err) {
    int code = 0;
    for (String id : ids) {
      try {
        c.post("/v1/containers/" + id(id) + "/" + verb, body);
        out.println(id);
      } catch (CliException | CorralException e) {
        err.println("corral: " + e.getMessage());
        code = 1;
      }
    }
    return code;
  }
}
