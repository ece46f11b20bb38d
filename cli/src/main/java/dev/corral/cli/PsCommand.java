package dev.corral.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral ps}: every container the daemon holds, as a table (ID, STATUS, PID, CREATED, EXIT),
 * as ids only ({@code -q}), or as the daemon's JSON ({@code --json}).
 *
 * <p>Runs on the main thread.
 */
@Command(name = "ps", description = "List containers.", sortOptions = false)
final class PsCommand extends ApiCommand {
  static final List<String> COLUMNS = List.of("ID", "STATUS", "PID", "CREATED", "EXIT");

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "Only containers with this label (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = {"-q", "--quiet"},
      description = "Print ids only.")
  boolean quiet;

  @Option(names = "--json", description = "Print the daemon's JSON.")
  boolean json;

  @Override
  int run(Client c) {
    Query q = new Query();
    labels.forEach((k, v) -> q.add("label", k + "=" + v));
    JsonElement all = c.get("/v1/containers" + q).json();
    if (json) {
      out().println(PRETTY.toJson(all));
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonElement e : all.getAsJsonArray()) {
      rows.add(row(e.getAsJsonObject(), Clock.systemUTC()));
    }
    if (quiet) {
      rows.forEach(r -> out().println(r.get(0)));
    } else {
      out().print(Table.format(COLUMNS, rows));
    }
    return 0;
  }

  static List<String> row(JsonObject c, Clock clock) {
    int pid = c.has("pid") ? c.get("pid").getAsInt() : 0;
    return List.of(
        c.get("id").getAsString(),
        c.get("status").getAsString(),
        pid > 0 ? String.valueOf(pid) : "-",
        c.has("createdAt") ? ago(Instant.parse(c.get("createdAt").getAsString()), clock) : "-",
        c.has("exitCode") ? c.get("exitCode").getAsString() : "-");
  }

  /** Like docker: "5 seconds ago", "3 minutes ago", "2 hours ago", "4 days ago". */
  static String ago(Instant t, Clock clock) {
    Duration d = Duration.between(t, Instant.now(clock));
    if (d.isNegative() || d.toSeconds() < 1) {
      return "just now";
    }
    if (d.toMinutes() < 1) {
      return plural(d.toSeconds(), "second");
    }
    if (d.toHours() < 1) {
      return plural(d.toMinutes(), "minute");
    }
    if (d.toDays() < 1) {
      return plural(d.toHours(), "hour");
    }
    return plural(d.toDays(), "day");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s") + " ago";
  }
}
