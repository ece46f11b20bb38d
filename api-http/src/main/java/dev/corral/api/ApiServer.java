package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.supervisor.MachineInfo;
import dev.corral.supervisor.Supervisor;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty serving the v1 API on a unix socket: the socket is 0660 inside a 0750 directory; a stale
 * socket left by a dead daemon is replaced, a live one is refused. A failed start stops every Jetty
 * thread, so the JVM can exit.
 *
 * <p>Started and stopped by the daemon's main thread; Jetty's own threads serve requests.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** sun_path is 108 bytes including the terminating NUL. */
  static final int MAX_SOCKET_PATH = 107;

  /**
   * A path that can never exist: Jetty 12's connector unconditionally deletes its unix path when it
   * stops, and a socket passed by the service manager must outlive this daemon.
   */
  private static final Path NO_PATH = Path.of("/proc/self/fdinfo/corral-activated-socket");

  private final Server server;
  private final UnixDomainServerConnector connector;
  private final Path socket;
  private final boolean activated;

  private ApiServer(
      Server server, UnixDomainServerConnector connector, Path socket, boolean activated) {
    this.server = server;
    this.connector = connector;
    this.socket = socket;
    this.activated = activated;
  }

  /** As {@link #start(Path, Supervisor, MachineInfo, int)} with the default stream cap. */
  public static ApiServer start(Path socket, Supervisor supervisor, MachineInfo machine) {
    return start(socket, supervisor, machine, StreamSlots.DEFAULT_MAX);
  }

  /**
   * Builds the routes, binds {@code socket} and starts serving, with at most {@code maxStreams}
   * long-lived streams (events, followed logs, streamed stats) open at once.
   *
   * @throws CorralException invalid_argument naming max-streams when it is below 1
   */
  public static ApiServer start(
      Path socket, Supervisor supervisor, MachineInfo machine, int maxStreams) {
    return start(socket, supervisor, machine, maxStreams, Optional.empty());
  }

  /**
   * As {@link #start(Path, Supervisor, MachineInfo, int)}, serving on {@code activated} when the
   * service manager passed a listening socket (systemd socket activation): that socket, its path
   * and its mode belong to the service manager, so it is neither prepared, chmod'ed nor removed.
   */
  public static ApiServer start(
      Path socket,
      Supervisor supervisor,
      MachineInfo machine,
      int maxStreams,
      Optional<ServerSocketChannel> activated) {
    StreamSlots streams = new StreamSlots(maxStreams);
    Path abs = activated.map(ApiServer::boundPath).orElse(socket.toAbsolutePath());
    if (activated.isEmpty()) {
      prepareSocketPath(abs);
    } else if (!abs.equals(socket.toAbsolutePath())) {
      log.warn("socket activation: serving on the passed {}, not --socket {}", abs, socket);
    }
    QueuedThreadPool pool = new QueuedThreadPool(streams.poolSize(), 4);
    pool.setName("corral-http");
    Server server = new Server(pool);
    UnixDomainServerConnector connector =
        new UnixDomainServerConnector(server, new HttpConnectionFactory());
    // With activation Jetty takes System.inheritedChannel(), the very channel passed here, and is
    // given no path: it deletes its path when it stops, and the service manager's socket must
    // stay for the next start (see close()).
    connector.setUnixDomainPath(activated.isPresent() ? null : abs);
    connector.setInheritChannel(activated.isPresent());
    server.addConnector(connector);
    server.setHandler(routes(supervisor, machine, server, streams));
    startOrStop(server, abs);
    if (activated.isEmpty()) {
      chmod(abs, "rw-rw----");
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
    Router r = new Router(supervisor.metrics());
    new SystemRoutes(replies, machine, supervisor.metrics()).register(r);
    new ContainerRoutes(replies).register(r);
    new LifecycleRoutes(replies).register(r);
    new LiveRoutes(replies).register(r);
    new ProcessRoutes(replies).register(r);
    new StatsRoutes(supervisor, replies, streams).register(r);
    new AttachRoutes(replies).register(r);
    new CheckpointRoutes(replies).register(r);
    new EventRoutes(supervisor, replies, streams).register(r);
    new LogRoutes(replies, streams).register(r);
    new MetricsRoutes(supervisor.metrics()).register(r);
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

  /** Checks the length, makes the 0750 directory, and removes a stale socket. */
  static void prepareSocketPath(Path socket) {
    if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > MAX_SOCKET_PATH) {
      throw CorralException.invalidArgument(
          "socket: %s is longer than %d bytes", socket, MAX_SOCKET_PATH);
    }
    try {
      Path dir = socket.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        chmod(dir, "rwxr-x---");
      }
      removeIfStale(socket);
    } catch (IOException e) {
      throw CorralException.failedPrecondition("socket %s: %s", socket, e.getMessage());
    }
  }

  private static void removeIfStale(Path socket) throws IOException {
    if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException refused) {
      log.info("removing stale socket {} ({})", socket, refused.getMessage());
      Files.delete(socket);
      return;
    }
    throw CorralException.failedPrecondition("socket %s: another daemon is serving on it", socket);
  }

  private static void chmod(Path p, String perms) {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (IOException e) {
      throw CorralException.failedPrecondition("%s: chmod %s: %s", p, perms, e.getMessage());
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
