package dev.corral.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral events}: follows the daemon's event stream, one readable line per event ({@code
 * --json}: the raw NDJSON). {@code --since} replays retained events first (docs/api.md's contract:
 * strictly after that time, then a {@code live} marker, then live events). When the daemon drops
 * this subscriber for falling behind ({@code lagged}), it resumes with {@code after=SEQ}, so no
 * retained event is missed.
 *
 * <p>{@code --filter} as docker's: {@code container=ID} (or {@code id=}), {@code event=TYPE} (or
 * {@code type=}; corral's event types are docker's actions) and {@code namespace=NS}. One
 * container, one namespace and any types go to the daemon as {@code id}, {@code namespace} and
 * {@code type}; several containers or namespaces are matched here, since the API takes one of each.
 * Events carry no labels, so there is no {@code label} filter. A readable line names the event's
 * namespace unless it is {@code default}.
 *
 * <p>Runs on the main thread.
 */
@Command(name = "events", description = "Follow the event stream.", sortOptions = false)
final class EventsCommand extends ApiCommand {
  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Replay events after TIME: RFC 3339, unix seconds, or a duration ago (10m).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "End the stream at TIME (same forms as --since).")
  String until;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      split = ",",
      description = "Only these types (exit, start-container, oom, delete, ...; repeatable).")
  List<String> types = new ArrayList<>();

  @Option(names = "--id", paramLabel = "ID", description = "Only events of this container.")
  String id;

  @Option(
      names = {"-f", "--filter"},
      paramLabel = "KEY=VALUE",
      description =
          "Only matching events (repeatable): container=ID (or id=ID), event=TYPE (or type=TYPE),"
              + " namespace=NS.")
  List<String> filters = new ArrayList<>();

  @Option(names = "--json", description = "Print the raw events (NDJSON).")
  boolean json;

  /** The daemon's namespace for a request that names none. */
  static final String DEFAULT_NAMESPACE = "default";

  static final Set<String> FILTERS =
      new LinkedHashSet<>(List.of("container", "id", "event", "type", "namespace"));

  private Long lagged; // main thread: the seq to resume after, once the daemon said lagged
  private Set<String> containers = Set.of(); // main thread: set once in run; empty means any
  private Set<String> namespaces = Set.of(); // main thread: set once in run; empty means any

  @Override
  int run(Client c) {
    Filters f = Filters.parse(spec.commandLine(), filters, FILTERS);
    Set<String> ids = new LinkedHashSet<>(f.values("container", "id"));
    if (id != null) {
      ids.add(id);
    }
    ids.forEach(ApiCommand::id);
    containers = ids;
    namespaces = new LinkedHashSet<>(f.values("namespace"));
    namespaces.forEach(ns -> idOption(spec, "--filter namespace", ns));
    types.addAll(f.values("event", "type"));
    String query = query(Times.since(since));
    while (true) {
      lagged = null;
      c.stream("/v1/events" + query, this::print);
      if (lagged == null) {
        return 0;
      }
      err().println("corral: events: fell behind at seq " + lagged + "; resuming");
      query = query(null).isEmpty() ? "?after=" + lagged : query(null) + "&after=" + lagged;
    }
  }

  private String query(String sinceTime) {
    Query q = new Query().add("since", sinceTime).add("until", Times.since(until));
    q.add("id", containers.size() == 1 ? containers.iterator().next() : null);
    q.add("namespace", namespaces.size() == 1 ? namespaces.iterator().next() : null);
    types.forEach(t -> q.add("type", t));
    return q.toString();
  }

  private void print(String line) {
    JsonObject e = JsonParser.parseString(line).getAsJsonObject();
    String type = e.has("type") ? e.get("type").getAsString() : "";
    if (type.equals("lagged")) {
      lagged = e.get("seq").getAsLong();
    }
    if (!type.equals("live") && !type.equals("lagged") && !wanted(e)) {
      return;
    }
    if (json) {
      out().println(line);
    } else if (!type.equals("live") && !type.equals("lagged")) {
      out().println(readable(e));
    }
    out().flush();
  }

  /** Whether an event passes the container and namespace filters the daemon could not apply. */
  private boolean wanted(JsonObject e) {
    return (containers.isEmpty() || (e.has("id") && containers.contains(e.get("id").getAsString())))
        && (namespaces.isEmpty() || namespaces.contains(namespace(e)));
  }

  /** The event's namespace; an event without one (an older daemon's) is in {@code default}. */
  private static String namespace(JsonObject e) {
    return e.has("namespace") ? e.get("namespace").getAsString() : DEFAULT_NAMESPACE;
  }

  /**
   * {@code 2026-11-23T16:28:46.284849964Z exit c1 pid=init status=3}, with {@code namespace=NS}
   * among the fields unless it is {@code default}.
   */
  static String readable(JsonObject e) {
    StringBuilder sb = new StringBuilder();
    sb.append(e.has("timestamp") ? e.get("timestamp").getAsString() : "-");
    sb.append(' ').append(e.get("type").getAsString());
    if (e.has("id")) {
      sb.append(' ').append(e.get("id").getAsString());
    }
    for (String k : e.keySet()) {
      boolean shown = !List.of("seq", "timestamp", "type", "id").contains(k);
      if (shown && !(k.equals("namespace") && namespace(e).equals(DEFAULT_NAMESPACE))) {
        sb.append(' ').append(k).append('=').append(Table.cell(e, k));
      }
    }
    return sb.toString();
  }
}
