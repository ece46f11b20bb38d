package dev.corral.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral stats}: a container's cgroup counters as a table (ID, CPU, MEM USAGE / LIMIT, PIDS,
 * BLOCK I/O), or the daemon's JSON; {@code --stream} prints a reading per second until the
 * container stops or corral is interrupted.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "stats", description = "Show a container's resource usage.", sortOptions = false)
final class StatsCommand extends ApiCommand {
  static final List<String> COLUMNS =
      List.of("ID", "CPU", "MEM USAGE / LIMIT", "PIDS", "BLOCK I/O");

  @Option(names = "--stream", description = "A reading per second until the container stops.")
  boolean stream;

  @Option(names = "--json", description = "Print the daemon's JSON (one line per reading).")
  boolean json;

  @Parameters(paramLabel = "ID", description = "Container id.")
  String id;

  @Override
  int run(Client c) {
    String path = "/v1/containers/" + id(id) + "/stats";
    if (!stream) {
      JsonElement s = c.get(path).json();
      out().print(json ? PRETTY.toJson(s) + "\n" : table(id, s.getAsJsonObject(), true));
      return 0;
    }
    boolean[] first = {true};
    c.stream(
        path + "?stream=1",
        line -> {
          out().print(json ? line + "\n" : table(id, JsonParser.parseString(line), first[0]));
          out().flush();
          first[0] = false;
        });
    return 0;
  }

  /** One reading as a table row, with the header when {@code header}. */
  private static String table(String id, JsonElement s, boolean header) {
    String t = Table.format(COLUMNS, List.of(row(id, s.getAsJsonObject())));
    return header ? t : t.substring(t.indexOf('\n') + 1);
  }

  static List<String> row(String id, JsonObject s) {
    Long cpu = number(s, "cpu", "usageNanos");
    Long usage = number(s, "memory", "usage");
    Long limit = number(s, "memory", "limit");
    Long pids = number(s, "pids", "current");
    return List.of(
        id,
        cpu == null ? "-" : String.format(Locale.ROOT, "%.2fs", cpu / 1e9),
        size(usage) + " / " + (limit == null ? "unlimited" : Sizes.human(limit)),
        pids == null ? "-" : String.valueOf(pids),
        size(number(s, "blkio", "readBytes")) + " / " + size(number(s, "blkio", "writeBytes")));
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
