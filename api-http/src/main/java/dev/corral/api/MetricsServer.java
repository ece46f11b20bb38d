package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --metrics-address HOST:PORT}: {@code GET /metrics} alone, over TCP, for Prometheus. Only a
 * loopback address is accepted: the endpoint has no authentication and names every container, so it
 * must not be reachable from the network (a scraper elsewhere goes through a local proxy).
 *
 * <p>Started and stopped by the daemon's main thread; Jetty's threads serve the scrapes.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  private final Server server;
  private final InetSocketAddress bound;

  private MetricsServer(Server server, InetSocketAddress bound) {
    this.server = server;
    this.bound = bound;
  }

  /**
   * Binds {@code hostPort} (port 0 picks a free one) and serves.
   *
   * @throws CorralException invalid_argument for a malformed or non-loopback address
   */
  public static MetricsServer start(String hostPort, MetricCatalog metrics) {
    InetSocketAddress address = parseLoopback(hostPort);
    QueuedThreadPool pool = new QueuedThreadPool(8, 2);
    pool.setName("corral-metrics");
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost(address.getAddress().getHostAddress());
    connector.setPort(address.getPort());
    server.addConnector(connector);
    Router r = new Router(metrics);
    new MetricsRoutes(metrics).register(r);
    server.setHandler(r);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      throw CorralException.failedPrecondition(
          "--metrics-address: cannot listen on %s: %s", hostPort, e.getMessage());
    }
    InetSocketAddress bound = new InetSocketAddress(address.getAddress(), connector.getLocalPort());
    log.info("serving /metrics on http://{}:{}", bound.getHostString(), bound.getPort());
    return new MetricsServer(server, bound);
  }

  /** Parses HOST:PORT ([v6]:PORT too) and refuses anything but a loopback address. */
  static InetSocketAddress parseLoopback(String hostPort) {
    int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw CorralException.invalidArgument("--metrics-address: %s is not HOST:PORT", hostPort);
    }
    String host = hostPort.substring(0, colon).replaceAll("^\\[|\\]$", "");
    int port = port(hostPort, hostPort.substring(colon + 1));
    InetAddress ip;
    try {
      ip = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw CorralException.invalidArgument("--metrics-address: unknown host %s", host);
    }
    if (!ip.isLoopbackAddress()) {
      throw CorralException.invalidArgument(
          "--metrics-address: %s is not a loopback address; metrics are served on loopback only"
              + " (127.0.0.1 or ::1)",
          host);
    }
    return new InetSocketAddress(ip, port);
  }

  private static int port(String hostPort, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw CorralException.invalidArgument("--metrics-address: %s: bad port %s", hostPort, text);
  }

  /** The address actually bound (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return bound;
  }

  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping the metrics server: {}", e.toString());
    }
  }
}
