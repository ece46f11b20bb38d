package dev.corral.cli;

import com.google.gson.JsonElement;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral version}: the client's version, then the daemon's (its version, API, runtime, shim
 * and Java); fails after printing the client's when the daemon cannot be reached.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "version", description = "Show the client's and the daemon's versions.")
final class VersionCommand extends ApiCommand {
  @Option(names = "--json", description = "Print the daemon's JSON.")
  boolean json;

  @Override
  int run(Client c) {
    if (!json) {
      out().println("client: corral " + Main.Version.client());
      out().flush();
    }
    JsonElement v = c.get("/v1/version").json();
    if (json) {
      out().println(PRETTY.toJson(v));
      return 0;
    }
    for (Map.Entry<String, JsonElement> e : v.getAsJsonObject().entrySet()) {
      out().println("daemon " + e.getKey() + ": " + e.getValue().getAsString());
    }
    return 0;
  }
}
