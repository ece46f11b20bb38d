package dev.corral.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral logs}: a container's output from conmon's log, stdout to stdout and stderr to
 * stderr; {@code -f} follows it until the container exits.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "logs", description = "Print a container's output.", sortOptions = false)
final class LogsCommand extends ApiCommand {
  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing until the container exits.")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines.")
  Integer tail;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Only output after TIME: RFC 3339, unix seconds, or a duration ago (10m).")
  String since;

  @Option(
      names = {"-t", "--timestamps"},
      description = "Prefix each entry with its time.")
  boolean timestamps;

  @Option(names = "--json", description = "Print the daemon's NDJSON entries as they come.")
  boolean json;

  @Parameters(paramLabel = "ID", description = "Container id.")
  String id;

  @Override
  int run(Client c) {
    Query q = new Query().flag("follow", follow).add("since", Times.since(since));
    q.add("tail", tail == null ? null : String.valueOf(tail));
    String path = "/v1/containers/" + id(id) + "/logs" + q;
    if (json) {
      c.stream(path, line -> out().println(line));
    } else if (timestamps) {
      c.stream(path, line -> print(line, out(), err(), true));
    } else {
      follow(c, id, q.toString(), out(), err());
    }
    return 0;
  }

  /** Streams a container's log entries to {@code out} and {@code err} by their stream. */
  static void follow(Client c, String id, String query, PrintWriter out, PrintWriter err) {
    c.stream("/v1/containers/" + id + "/logs" + query, line -> print(line, out, err, false));
    out.flush();
    err.flush();
  }

  private static void print(String line, PrintWriter out, PrintWriter err, boolean timestamps) {
    JsonObject e = JsonParser.parseString(line).getAsJsonObject();
    PrintWriter w = e.get("stream").getAsString().equals("stderr") ? err : out;
    if (timestamps) {
      w.print(e.get("timestamp").getAsString() + " ");
    }
    w.print(e.get("log").getAsString());
    w.flush();
  }
}
