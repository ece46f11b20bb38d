package dev.corral.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral ps}: the containers that are not stopped ({@code -a}: all of them), as a table (ID,
 * STATUS, PID, CREATED, EXIT), as ids only ({@code -q}), or as the daemon's JSON ({@code --json}).
 * {@code --filter} works as docker's ({@link Filters}); a {@code status} filter implies {@code -a},
 * as in docker. The daemon filters by {@code label=K=V}; every other filter is applied here, on the
 * daemon's list, because the API has no parameter for it.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "ps", description = "List containers.", sortOptions = false)
final class PsCommand extends ApiCommand {
  static final List<String> COLUMNS = List.of("ID", "STATUS", "PID", "CREATED", "EXIT");
  static final Set<String> FILTERS =
      new LinkedHashSet<>(List.of("id", "name", "label", "status", "exited"));

  /** docker's status names for corrald's, so {@code status=exited} finds stopped containers. */
  private static final Map<String, String> DOCKER_STATUS =
      Map.of("exited", "stopped", "created", "creating");

  @Option(
      names = {"-a", "--all"},
      description = "All containers (default: those not stopped).")
  boolean all;

  @Option(
      names = {"-f", "--filter"},
      paramLabel = "KEY=VALUE",
      description =
          "Only matching containers (repeatable): id=PREFIX, name=SUBSTRING, label=KEY,"
              + " label=KEY=VALUE, status=STATUS (running, paused, stopped or exited, creating"
              + " or created), exited=CODE.")
  List<String> filters = new ArrayList<>();

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
    Filters f = Filters.parse(spec.commandLine(), filters, FILTERS);
    Query q = new Query();
    labels.forEach((k, v) -> q.add("label", k + "=" + v));
    f.values("label").stream().filter(l -> l.contains("=")).forEach(l -> q.add("label", l));
    JsonArray shown = new JsonArray();
    for (JsonElement e : c.get("/v1/containers" + q).json().getAsJsonArray()) {
      if (shows(e.getAsJsonObject(), f, all || f.has("status"))) {
        shown.add(e);
      }
    }
    if (json) {
      out().println(PRETTY.toJson(shown));
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonElement e : shown) {
      rows.add(row(e.getAsJsonObject(), Clock.systemUTC()));
    }
    if (quiet) {
      rows.forEach(r -> out().println(r.get(0)));
    } else {
      out().print(Table.format(COLUMNS, rows));
    }
    return 0;
  }

  /** Whether {@code ps} lists container {@code c}: {@code all} or not stopped, and every filter. */
  static boolean shows(JsonObject c, Filters f, boolean all) {
    String id = c.get("id").getAsString();
    String status = c.get("status").getAsString();
    return (all || !status.equals("stopped"))
        && f.any(id::startsWith, "id")
        && f.any(id::contains, "name")
        && f.any(s -> DOCKER_STATUS.getOrDefault(s, s).equals(status), "status")
        && f.any(
            code -> c.has("exitCode") && c.get("exitCode").getAsString().equals(code), "exited")
        && f.values("label").stream().allMatch(l -> hasLabel(c, l));
  }

  /** docker's label filter: {@code KEY} present, or {@code KEY=VALUE} exactly. */
  private static boolean hasLabel(JsonObject c, String filter) {
    JsonObject labels = c.has("labels") ? c.getAsJsonObject("labels") : new JsonObject();
    int eq = filter.indexOf('=');
    if (eq < 0) {
      return labels.has(filter);
    }
    JsonElement v = labels.get(filter.substring(0, eq));
    return v != null && v.getAsString().equals(filter.substring(eq + 1));
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
