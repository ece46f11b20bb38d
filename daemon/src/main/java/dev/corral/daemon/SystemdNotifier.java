package dev.corral.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service manager's readiness protocol ({@code sd_notify}): one datagram such as {@code
 * READY=1} to the unix socket named by {@code NOTIFY_SOCKET}, a path or, with a leading {@code @},
 * an abstract address. Without {@code NOTIFY_SOCKET} (not under systemd, or {@code Type=simple}) it
 * does nothing. The JDK has no unix datagram sockets, hence jnr-unixsocket.
 *
 * <p>Used by the daemon's main thread (ready) and the shutdown hook (stopping); a failed send is
 * logged, never fatal: the daemon serves either way.
 */
final class SystemdNotifier {
  private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

  private final Optional<UnixSocketAddress> target;

  private SystemdNotifier(Optional<UnixSocketAddress> target) {
    this.target = target;
  }

  /** The notifier {@code env} asks for. */
  static SystemdNotifier fromEnv(Map<String, String> env) {
    return new SystemdNotifier(Optional.ofNullable(address(env.get("NOTIFY_SOCKET"))));
  }

  /** {@code NOTIFY_SOCKET} as an address: {@code @name} is abstract; empty or unset is none. */
  static UnixSocketAddress address(String notifySocket) {
    if (notifySocket == null || notifySocket.isEmpty()) {
      return null;
    }
    return new UnixSocketAddress(
        notifySocket.startsWith("@") ? "\0" + notifySocket.substring(1) : notifySocket);
  }

  /** Tells the service manager the API socket serves. */
  void ready(long pid) {
    send("READY=1\nMAINPID=" + pid + "\nSTATUS=serving the v1 API\n");
  }

  /** Tells the service manager the daemon is shutting down. */
  void stopping() {
    send("STOPPING=1\n");
  }

  private void send(String state) {
    if (target.isEmpty()) {
      return;
    }
    try (UnixDatagramChannel ch = UnixDatagramChannel.open()) {
      ch.send(ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8)), target.get());
    } catch (IOException | RuntimeException e) {
      log.warn("sd_notify to {}: {}", target.get().humanReadablePath(), e.toString());
    }
  }
}
