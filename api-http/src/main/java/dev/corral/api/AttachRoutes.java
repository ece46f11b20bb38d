package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.runtime.SeqPacketSocket;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.task.ListProcessesTask;
import dev.corral.supervisor.task.ProcessView;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpStream;

/**
 * {@code POST /v1/containers/{id}/attach[?pid=EXEC]}: an HTTP/1.1 upgrade ({@code Connection:
 * Upgrade}, {@code Upgrade: tcp}). The process is checked on the loop, conmon's attach socket is
 * connected, and then Jetty's supported upgrade path takes over: the request carries the new
 * connection in {@link HttpStream#UPGRADE_CONNECTION_ATTRIBUTE}, and once the 101 is sent Jetty
 * hands the endpoint to that {@link AttachConnection}. The framing is in docs/api.md.
 *
 * <p>Thread-safe; each attach checks on its request thread, then streams on its own.
 */
final class AttachRoutes {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final Supervisor supervisor;

  AttachRoutes(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  void register(Router r) {
    r.add("POST", "/v1/containers/{id}/attach", this::attach);
  }

  private void attach(Exchange x) {
    String id = Ids.require("id", x.path("id"));
    String pid = x.query().getValue("pid");
    pid = pid == null ? Ids.INIT : Ids.require("pid", pid);
    requireUpgrade(x);
    requireRunning(id, pid);
    SeqPacketSocket socket = SeqPacketSocket.connect(supervisor.attachSocket(id, pid));
    String what = "container " + id + ": process " + pid;
    x.request.setAttribute(
        HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
        new AttachConnection(
            x.request.getConnectionMetaData().getConnection().getEndPoint(),
            x.request.getComponents().getExecutor(),
            socket,
            what));
    x.response.setStatus(101);
    x.response.getHeaders().put(HttpHeader.UPGRADE, "tcp");
    x.response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
    x.callback.succeeded();
  }

  private static void requireUpgrade(Exchange x) {
    String connection = x.request.getHeaders().get(HttpHeader.CONNECTION);
    String upgrade = x.request.getHeaders().get(HttpHeader.UPGRADE);
    if (connection == null
        || !connection.toLowerCase(java.util.Locale.ROOT).contains("upgrade")
        || !"tcp".equalsIgnoreCase(upgrade)) {
      throw CorralException.invalidArgument(
          "attach: needs the headers Connection: Upgrade and Upgrade: tcp");
    }
  }

  private void requireRunning(String id, String pid) {
    ListProcessesTask t = new ListProcessesTask(id, new Reply<>());
    supervisor.submit(t);
    List<ProcessView> ps = t.reply().await(DEADLINE);
    ProcessView p =
        ps.stream()
            .filter(v -> v.id().equals(pid))
            .findFirst()
            .orElseThrow(
                () -> CorralException.notFound("container %s: process %s: not found", id, pid));
    if (!p.status().equals("running")) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: is %s, not running", id, pid, p.status());
    }
  }
}
