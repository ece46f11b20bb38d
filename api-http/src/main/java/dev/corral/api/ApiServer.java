package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import dev.corral.supervisor.MachineInfo;
import dev.corral.supervisor.Supervisor;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty serving the v1 API on a unix socket: the socket is 0660 inside a 0750 directory ({@link
 * SocketPaths}); every request passes the {@link AccessGate} first, and every error, Jetty's own
 * included, is a JSON body. A failed start stops every Jetty thread, so the JVM can exit.
 *
 * <p>Started and stopped by the daemon's main thread; Jetty's own threads serve requests.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /**
   * A path that can never exist: Jetty 12's connector unconditionally deletes its unix path when it
   * stops, and a socket passed by the service manager must outlive this daemon.
   */
  private static final Path NO_PATH = Path.of("/proc/self/fdinfo/corral-activated-socket");

  private final Server server;
  private final UnixDomainServerConnector connector;
  private final Path socket;
  private final boolean activated;

  /**
   * The listen backlog of the socket corrald binds, as systemd's Backlog= default (SOMAXCONN; the
   * kernel caps it at net.core.somaxconn). Left at 0, the JDK listens with 50: a burst of more
   * clients than that connecting at once (1,000 long polls) has the rest refused with EAGAIN by a
   * unix socket, whose connect never waits when non-blocking, as curl's and Go's are.
   */
  private static final int ACCEPT_QUEUE = 4096;

  private ApiServer(
      Server server, UnixDomainServerConnector connector, Path socket, boolean activated) {
    this.server = server;
    this.connector = connector;
    this.socket = socket;
    this.activated = activated;
  }

  /**
   * Builds the routes, binds {@code socket} and starts serving, with at most {@code maxStreams}
   * long-lived streams (events, followed logs, streamed stats) open at once, to the callers {@code
   * access} allows (judged on each connection's {@code peers} credentials). When the service
   * manager passed a listening socket ({@code activated}, systemd socket activation), that socket,
   * its path and its mode belong to the service manager: it is neither prepared, chmod'ed nor
   * removed, and its callers pass the same gate.
   *
   * @throws CorralException invalid_argument naming max-streams when it is below 1
   */
  public static ApiServer start(
      Path socket,
      Supervisor supervisor,
      MachineInfo machine,
      int maxStreams,
      Optional<ServerSocketChannel> activated,
      AccessPolicy access,
      Peer.Lookup peers) {
    StreamSlots streams = new StreamSlots(maxStreams);
    Path abs = activated.map(ApiServer::boundPath).orElse(socket.toAbsolutePath());
    if (activated.isEmpty()) {
      SocketPaths.prepare(abs);
    } else if (!abs.equals(socket.toAbsolutePath())) {
      log.warn("socket activation: serving on the passed {}, not --socket {}", abs, socket);
    }
    QueuedThreadPool pool = new QueuedThreadPool(streams.poolSize(), 4);
    pool.setName("corral-http");
    Server server = new Server(pool);
    // No acceptor thread (0): the selector accepts each connection itself, where a blocking
    // acceptor would take it and then wake the selector to register it, a thread hop per
    // connection; and most clients here open one connection per request.
    UnixDomainServerConnector connector =
        new UnixDomainServerConnector(server, 0, -1, new HttpConnectionFactory());
    // With activation Jetty takes System.inheritedChannel(), the very channel passed here, and is
    // given no path: it deletes its path when it stops, and the service manager's socket must
    // stay for the next start (see close()).
    connector.setUnixDomainPath(activated.isPresent() ? null : abs);
    connector.setInheritChannel(activated.isPresent());
    connector.setAcceptQueueSize(ACCEPT_QUEUE); // our own bind only; systemd's Backlog= is its own
    server.addConnector(connector);
    server.setErrorHandler(new JsonErrorHandler());
    Router routes = routes(supervisor, machine, server, streams);
    server.setHandler(new AccessGate(access, peers, abs, routes));
    startOrStop(server, abs);
    if (activated.isEmpty()) {
      SocketPaths.chmod(abs, "rw-rw----");
    }
    log.info(
        "serving the v1 API on unix://{}{}",
        abs,
        activated.isPresent() ? " (socket activation)" : "");
    return new ApiServer(server, connector, abs, activated.isPresent());
  }

  private static Path boundPath(ServerSocketChannel channel) {
    try {
      if (channel.getLocalAddress() instanceof UnixDomainSocketAddress unix) {
        return unix.getPath().toAbsolutePath();
      }
      throw CorralException.failedPrecondition(
          "socket activation: the passed socket is not a unix socket (%s)",
          channel.getLocalAddress());
    } catch (IOException e) {
      throw CorralException.failedPrecondition("socket activation: %s", e.getMessage());
    }
  }

  private static Router routes(
      Supervisor supervisor, MachineInfo machine, Server server, StreamSlots streams) {
    Replies replies = new Replies(supervisor, server.getThreadPool(), server.getScheduler());
    return router(supervisor, supervisor.metrics(), machine, replies, streams);
  }

  /** Every route of the v1 API; docs/openapi.yaml's test builds it with stub collaborators. */
  static Router router(
      Supervisor supervisor,
      MetricCatalog metrics,
      MachineInfo machine,
      Replies replies,
      StreamSlots streams) {
    Router r = new Router(metrics);
    new SystemRoutes(replies, machine, metrics).register(r);
    new ContainerRoutes(replies).register(r);
    new LifecycleRoutes(replies).register(r);
    new NamespaceRoutes(replies).register(r);
    new PodRoutes(replies).register(r);
    new LiveRoutes(replies).register(r);
    new ProcessRoutes(replies).register(r);
    new StatsRoutes(supervisor, replies, streams).register(r);
    new AttachRoutes(replies).register(r);
    new CheckpointRoutes(replies).register(r);
    new EventRoutes(supervisor, replies, streams).register(r);
    new LogRoutes(replies, streams).register(r);
    new MetricsRoutes(metrics).register(r);
    return r;
  }

  private static void startOrStop(Server server, Path socket) {
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception stop) {
        e.addSuppressed(stop);
      }
      throw CorralException.internal(e, "socket %s: cannot serve: %s", socket, e.getMessage());
    }
  }

  public Path socket() {
    return socket;
  }

  /** Stops accepting, lets in-flight requests end briefly, closes streams, removes the socket. */
  @Override
  public void close() {
    server.setStopTimeout(2_000);
    if (activated) {
      connector.setUnixDomainPath(NO_PATH);
    }
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping Jetty: {}", e.toString());
    }
    if (activated) {
      return; // the service manager's socket: it keeps listening for the next start
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      log.warn("removing socket {}: {}", socket, e.toString());
    }
  }
}
