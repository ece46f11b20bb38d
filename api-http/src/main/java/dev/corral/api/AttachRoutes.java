package dev.corral.api;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.task.AttachChannel;
import dev.corral.supervisor.task.AttachTask;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpStream;

/**
 * {@code POST /v1/containers/{id}/attach[?pid=EXEC]}: an HTTP/1.1 upgrade ({@code Connection:
 * Upgrade}, {@code Upgrade: tcp}). An {@link AttachTask} checks the process on the loop and has a
 * worker connect its stdio; when the connected channel comes back, Jetty's supported upgrade path
 * takes over: the request carries the new connection in {@link
 * HttpStream#UPGRADE_CONNECTION_ATTRIBUTE}, and once the 101 is sent Jetty hands the endpoint to
 * that {@link AttachConnection}. The framing is in docs/api.md.
 *
 * <p>Thread-safe; no thread waits for the check: the 101 is sent from the reply's callback.
 */
final class AttachRoutes {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final Replies replies;

  AttachRoutes(Replies replies) {
    this.replies = replies;
  }

  void register(Router r) {
    r.add("POST", "/v1/containers/{id}/attach", this::attach, "pid");
  }

  private void attach(Exchange x) {
    ContainerRef id = x.container();
    String pid = x.query().getValue("pid");
    pid = pid == null ? Ids.INIT : Ids.require("pid", pid);
    requireUpgrade(x);
    AttachTask t = new AttachTask(id, pid, new Reply<>());
    String what = "container " + id + ": process " + pid;
    replies.submit(x, t, t.reply(), DEADLINE, channel -> upgrade(x, channel, what));
  }

  private static void upgrade(Exchange x, AttachChannel channel, String what) {
    x.request.setAttribute(
        HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
        new AttachConnection(
            x.request.getConnectionMetaData().getConnection().getEndPoint(),
            x.request.getComponents().getExecutor(),
            channel,
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
}
