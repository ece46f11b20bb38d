package dev.corral.api;

import java.nio.channels.SocketChannel;

/**
 * The caller on the other end of a connection, as the kernel recorded it at {@code connect} ({@code
 * SO_PEERCRED}).
 *
 * <p>Immutable; usable from any thread.
 *
 * @param pid the caller's process id at connect time (it may have exited since)
 * @param uid the caller's effective uid
 * @param gid the caller's effective (primary) gid
 */
public record Peer(long pid, int uid, int gid) {
  /**
   * Reads the peer of a unix socket channel; the daemon wires in the native one (the JDK's own
   * {@code SO_PEERCRED} has names but no numbers and no pid).
   *
   * <p>Called by Jetty's threads concurrently; must be thread-safe.
   */
  @FunctionalInterface
  public interface Lookup {
    Peer of(SocketChannel channel);
  }
}
