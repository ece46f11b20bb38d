package dev.corral.api;

import dev.corral.core.CorralException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request on the unix socket: reads the peer's credentials ({@code
 * SO_PEERCRED}, once per connection, kept as a connection attribute), answers 403 permission_denied
 * to a caller the {@link AccessPolicy} does not allow, and logs each mutating request (POST, PATCH,
 * DELETE) and each refusal with the caller's uid and pid and the final status. A socket passed by
 * the service manager goes through the same gate.
 *
 * <p>Immutable after construction; Jetty's threads call it concurrently.
 */
final class AccessGate extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(AccessGate.class);
  private static final String PEER = "dev.corral.peer";

  private final AccessPolicy policy;
  private final Peer.Lookup peers;
  private final Path socket;

  AccessGate(AccessPolicy policy, Peer.Lookup peers, Path socket, Handler routes) {
    super(routes);
    this.policy = policy;
    this.peers = peers;
    this.socket = socket;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Peer peer = peer(request);
    boolean allowed = peer != null && policy.allows(peer, this::socketGroup);
    Callback answer =
        allowed && !mutating(request.getMethod())
            ? callback
            : logged(peer, request, response, callback);
    if (allowed) {
      return super.handle(request, response, answer);
    }
    new Exchange(request, response, answer, Map.of())
        .error(
            CorralException.permissionDenied(
                "%s: not allowed to call corrald (see --allow-uid and --allow-gid)",
                peer == null ? "caller" : "uid " + peer.uid() + " gid " + peer.gid()));
    return true;
  }

  static boolean mutating(String method) {
    return method.equals("POST") || method.equals("PATCH") || method.equals("DELETE");
  }

  /** The connection's peer; null when the connection is not a unix socket the JDK exposes. */
  private Peer peer(Request request) {
    ConnectionMetaData connection = request.getConnectionMetaData();
    if (connection.getAttribute(PEER) instanceof Peer known) {
      return known;
    }
    EndPoint endPoint = connection.getConnection().getEndPoint();
    if (!(endPoint instanceof SocketChannelEndPoint socketEndPoint)) {
      return null;
    }
    Peer peer = peers.of(socketEndPoint.getChannel());
    connection.setAttribute(PEER, peer);
    return peer;
  }

  /** Read at each use, so a {@code chgrp} of the socket takes effect without a restart. */
  private int socketGroup() {
    try {
      return (Integer) Files.getAttribute(socket, "unix:gid");
    } catch (IOException | RuntimeException e) {
      return -1; // no socket file: no group is allowed by it
    }
  }

  private static Callback logged(Peer peer, Request request, Response response, Callback callback) {
    String who = peer == null ? "uid=? pid=?" : "uid=" + peer.uid() + " pid=" + peer.pid();
    String what = request.getMethod() + " " + request.getHttpURI().getPath();
    return Callback.from(
        callback.getInvocationType(),
        () -> {
          log.info("{} {} -> {}", who, what, response.getStatus());
          callback.succeeded();
        },
        x -> {
          log.info("{} {} -> {} (failed: {})", who, what, response.getStatus(), x.toString());
          callback.failed(x);
        });
  }
}
