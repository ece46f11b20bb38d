package dev.corral.cli;

import com.google.gson.JsonArray;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral inspect}: the daemon's JSON for one or more containers, as an array.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "inspect", description = "Show containers in detail (JSON).")
final class InspectCommand extends ApiCommand {
  @Parameters(arity = "1..*", paramLabel = "ID", description = "Container ids.")
  List<String> ids;

  @Override
  int run(Client c) {
    JsonArray a = new JsonArray();
    for (String id : ids) {
      a.add(c.get("/v1/containers/" + id(id)).json());
    }
    out().println(PRETTY.toJson(a));
    return 0;
  }
}
