package dev.corral.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral stats}: a container's usage as a table (ID, CPU %, MEM USAGE / LIMIT, PIDS, BLOCK
 * I/O), or the daemon's JSON. CPU % is taken over an interval, as docker's: the growth of the
 * container's cumulative CPU time between two readings of the daemon's stream (one a second),
 * divided by the wall time between them (their {@code read} stamps). That equals docker's {@code
 * cpuDelta / systemDelta * onlineCPUs * 100}, since the host's CPU time grows by the wall time
 * times its CPUs: 100% is one CPU busy, and a container using all of an N-CPU host shows N * 100%.
 * So the table waits for the second reading; {@code --stream} prints a row per reading after the
 * first until the container stops or corral is interrupted. A container that stops before a second
 * reading shows "-".
 *
 * <p>Runs on the main thread.
 */
@Command(name = "stats", description = "Show a container's resource usage.", sortOptions = false)
final class StatsCommand extends ApiCommand {
  static final List<String> COLUMNS =
      List.of("ID", "CPU %", "MEM USAGE / LIMIT", "PIDS", "BLOCK I/O");

  @Option(names = "--stream", description = "A reading per second until the container stops.")
  boolean stream;

  @Option(names = "--json", description = "Print the daemon's JSON (one line per reading).")
  boolean json;

  @Parameters(paramLabel = "ID", description = "Container id.")
  String id;

  private JsonObject previous; // main thread: the last reading, for the next row's CPU %
  private int printed; // main thread: rows printed so far

  @Override
  int run(Client c) {
    String path = "/v1/containers/" + id(id) + "/stats";
    if (json && !stream) {
      out().println(PRETTY.toJson(c.get(path).json()));
      return 0;
    }
    c.streamWhile(path + "?stream=1", this::reading);
    if (printed == 0 && previous != null) {
      print(null, previous); // stopped before a second reading: no interval to measure
    }
    return 0;
  }

  /** Takes one reading off the stream; false once {@code stats} without --stream has its row. */
  private boolean reading(String line) {
    if (json) {
      out().println(line);
      out().flush();
      return true;
    }
    JsonObject now = JsonParser.parseString(line).getAsJsonObject();
    if (previous != null) {
      print(previous, now);
    }
    previous = now;
    return stream || printed == 0;
  }

  private void print(JsonObject before, JsonObject now) {
    String t = Table.format(COLUMNS, List.of(row(id, before, now)));
    out().print(printed == 0 ? t : t.substring(t.indexOf('\n') + 1));
    out().flush();
    printed++;
  }

  /** One row; CPU % over the interval from {@code before} (null: none, "-") to {@code now}. */
  static List<String> row(String id, JsonObject before, JsonObject now) {
    Double cpu = before == null ? null : cpuPercent(before, now);
    Long usage = number(now, "memory", "usage");
    Long limit = number(now, "memory", "limit");
    Long pids = number(now, "pids", "current");
    return List.of(
        id,
        cpu == null ? "-" : String.format(Locale.ROOT, "%.2f%%", cpu),
        size(usage) + " / " + (limit == null ? "unlimited" : Sizes.human(limit)),
        pids == null ? "-" : String.valueOf(pids),
        size(number(now, "blkio", "readBytes")) + " / " + size(number(now, "blkio", "writeBytes")));
  }

  /**
   * CPU time used between two readings over the wall time between them, in percent of one CPU; null
   * when either lacks the counter or the stamps do not move forward.
   */
  static Double cpuPercent(JsonObject before, JsonObject now) {
    Long used0 = number(before, "cpu", "usageNanos");
    Long used1 = number(now, "cpu", "usageNanos");
    if (used0 == null || used1 == null || !before.has("read") || !now.has("read")) {
      return null;
    }
    long wall =
        Duration.between(
                Instant.parse(before.get("read").getAsString()),
                Instant.parse(now.get("read").getAsString()))
            .toNanos();
    return wall <= 0 ? null : Math.max(0, used1 - used0) * 100.0 / wall;
  }

  private static String size(Long bytes) {
    return bytes == null ? "-" : Sizes.human(bytes);
  }

  /** {@code s.group.field}, or null when the daemon left it out or sent null. */
  private static Long number(JsonObject s, String group, String field) {
    JsonElement g = s.get(group);
    if (g == null || !g.isJsonObject()) {
      return null;
    }
    JsonElement v = g.getAsJsonObject().get(field);
    return v == null || v.isJsonNull() ? null : v.getAsLong();
  }
}
