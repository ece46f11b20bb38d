package dev.corral.api;

import dev.corral.core.BuildInfo;
import dev.corral.metrics.MetricCatalog;
import dev.corral.supervisor.MachineInfo;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.thread.Reply;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /v1/_ping}, {@code /v1/version} and {@code /v1/info}.
 *
 * <p>Immutable; thread-safe.
 */
final class SystemRoutes {
  /** The daemon's version: the build's, as corrald --version says it. */
  static final String VERSION = BuildInfo.version();

  private final Replies replies;
  private final MachineInfo machine;
  private final MetricCatalog metrics;

  SystemRoutes(Replies replies, MachineInfo machine, MetricCatalog metrics) {
    this.replies = replies;
    this.machine = machine;
    this.metrics = metrics;
  }

  void register(Router r) {
    r.add("GET", "/v1/_ping", x -> x.text(200, "OK"))
        .add("GET", "/v1/version", x -> x.json(200, version()))
        .add("GET", "/v1/info", this::info);
  }

  private Map<String, Object> version() {
    return Map.of(
        "version", VERSION,
        "apiVersion", "v1",
        "runtime", machine.runtimeVersion(),
        "shim", machine.shimVersion(),
        "java", System.getProperty("java.version"));
  }

  private void info(Exchange x) {
    GetContainersTask t = new GetContainersTask(null, null, Map.of(), new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, all -> x.json(200, info(all)));
  }

  private Map<String, Object> info(List<ContainerView> all) {
    Map<String, Integer> counts = new TreeMap<>();
    all.forEach(c -> counts.merge(c.status(), 1, Integer::sum));
    Map<String, Object> out = new TreeMap<>();
    out.put("cpus", machine.cpus());
    out.put("memoryBytes", machine.memoryBytes());
    out.put("kernel", machine.kernel());
    out.put("runtime", Map.of("path", machine.runtimePath(), "version", machine.runtimeVersion()));
    out.put("shim", Map.of("path", machine.shimPath(), "version", machine.shimVersion()));
    out.put("root", machine.root());
    out.put("containers", all.size());
    out.put("containersByStatus", counts);
    out.put("eventSubscribers", metrics.subscribers.get());
    // Above 0 while the disk is full: events wait in memory to be journaled.
    out.put("eventsUnjournaled", metrics.unjournaledEvents());
    return out;
  }
}
