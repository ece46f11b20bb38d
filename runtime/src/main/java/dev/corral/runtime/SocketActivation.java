package dev.corral.runtime;

import dev.corral.core.CorralException;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Optional;
import jnr.ffi.LibraryLoader;

/**
 * systemd socket activation: when the service manager passed corrald its listening socket ({@code
 * LISTEN_PID} is this process, {@code LISTEN_FDS} at least 1, the socket at fd 3), that socket is
 * moved to fd 0 and handed out as the JVM's inherited channel, which Jetty's unix connector can
 * serve. The JDK only looks for an inherited channel on fd 0 (inetd's convention), hence the {@code
 * dup2}.
 *
 * <p>Called once by the daemon's main thread before the API starts.
 */
public final class SocketActivation {
  /** The first fd systemd passes ({@code SD_LISTEN_FDS_START}). */
  static final int LISTEN_FDS_START = 3;

  /** The two libc calls this needs. */
  public interface LibC {
    int dup2(int oldfd, int newfd);

    int close(int fd);
  }

  private SocketActivation() {}

  /** Whether {@code env} says a socket was passed to process {@code pid}. */
  static boolean passedTo(Map<String, String> env, long pid) {
    String listenPid = env.get("LISTEN_PID");
    String fds = env.get("LISTEN_FDS");
    if (listenPid == null || fds == null) {
      return false;
    }
    try {
      return Long.parseLong(listenPid.strip()) == pid && Integer.parseInt(fds.strip()) >= 1;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The listening unix socket systemd passed, if it passed one.
   *
   * @throws CorralException failed_precondition when the passed fd is not a listening socket
   */
  public static Optional<ServerSocketChannel> inherited() {
    if (!passedTo(System.getenv(), ProcessHandle.current().pid())) {
      return Optional.empty();
    }
    LibC libc = LibraryLoader.create(LibC.class).load("c");
    if (libc.dup2(LISTEN_FDS_START, 0) < 0) {
      int errno = jnr.ffi.LastError.getLastError(jnr.ffi.Runtime.getRuntime(libc));
      throw CorralException.failedPrecondition(
          "socket activation: dup2(3, 0) failed: errno %d", errno);
    }
    libc.close(LISTEN_FDS_START);
    try {
      Channel ch = System.inheritedChannel();
      if (ch instanceof ServerSocketChannel server) {
        return Optional.of(server);
      }
      throw CorralException.failedPrecondition(
          "socket activation: fd 3 is not a listening stream socket (%s)", ch);
    } catch (IOException e) {
      throw CorralException.failedPrecondition(
          "socket activation: the passed socket cannot be used: %s", e.getMessage());
    }
  }
}
