package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.supervisor.MachineInfo;
import dev.corral.supervisor.Supervisor;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

  private final Server server;
  private final Path socket;

  private ApiServer(Server server, Path socket) {
    this.server = server;
    this.socket = socket;
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
    StreamSlots streams = new StreamSlots(maxStreams);
    Path abs = socket.toAbsolutePath();
    prepareSocketPath(abs);
    QueuedThreadPool pool = new QueuedThreadPool(streams.poolSize(), 4);
    pool.setName("corral-http");
    Server server = new Server(pool);
    UnixDomainServerConnector connector =
        new UnixDomainServerConnector(server, new HttpConnectionFactory());
    connector.setUnixDomainPath(abs);
    server.addConnector(connector);
    server.setHandler(routes(supervisor, machine, server, streams));
    startOrStop(server, abs);
    chmod(abs, "rw-rw----");
    log.info("serving the v1 API on unix://{}", abs);
    return new ApiServer(server, abs);
  }

  private static Router routes(
      Supervisor supervisor, MachineInfo machine, Server server, StreamSlots streams) {
    Replies replies = new Replies(supervisor, server.getThreadPool(), server.getScheduler());
    Router r = new Router(supervisor.metrics());
    new SystemRoutes(replies, machine, supervisor.metrics()).register(r);
    new ContainerRoutes(replies).register(r);
    new LiveRoutes(replies).register(r);
    new ProcessRoutes(replies).register(r);
    new StatsRoutes(supervisor, replies, streams).register(r);
    new AttachRoutes(supervisor).register(r);
    new CheckpointRoutes(replies).register(r);
    new EventRoutes(supervisor, streams).register(r);
    new LogRoutes(supervisor, Path.of(machine.root()), streams).register(r);
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
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping Jetty: {}", e.toString());
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      log.warn("removing socket {}: {}", socket, e.toString());
    }
  }
}
