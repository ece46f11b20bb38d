package dev.corral.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral info}: the daemon's machine and runtime facts, one {@code key: value} per line
 * (nested objects flattened with dots), or its JSON.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "info", description = "Show the daemon's machine, runtime and counts.")
final class InfoCommand extends ApiCommand {
  @Option(names = "--json", description = "Print the daemon's JSON.")
  boolean json;

  @Override
  int run(Client c) {
    JsonElement info = c.get("/v1/info").json();
    if (json) {
      out().println(PRETTY.toJson(info));
    } else {
      print("", info.getAsJsonObject());
    }
    return 0;
  }

  private void print(String prefix, JsonObject o) {
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      if (e.getValue().isJsonObject()) {
        print(prefix + e.getKey() + ".", e.getValue().getAsJsonObject());
      } else {
        out().println(prefix + e.getKey() + ": " + e.getValue().getAsString());
      }
    }
  }
}
