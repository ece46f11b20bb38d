package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.SocketCalls.LIB;

import dev.corral.core.CorralException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Checked calls on a connected {@code AF_UNIX SOCK_SEQPACKET} socket, by fd. The fd's owner (the
 * runtime's {@code SeqPacketSocket}) decides who may call what when.
 *
 * <p>Stateless; safe from any thread.
 */
public final class SeqPacket {
  public static final int SHUT_RD = 0;
  public static final int SHUT_WR = 1;

  private SeqPacket() {}

  /**
   * Connects to the socket at {@code path}; returns the close-on-exec fd.
   *
   * @throws CorralException not_found when nothing listens there, internal otherwise
   */
  public static int connect(Path path, String what) {
    byte[] addr = address(path, what);
    int fd =
        (int)
            Errno.check(
                LIB.socket(
                    SocketCalls.AF_UNIX, SocketCalls.SOCK_SEQPACKET | SocketCalls.SOCK_CLOEXEC, 0),
                "socket(AF_UNIX, SOCK_SEQPACKET)");
    if (LIB.connect(fd, addr, addr.length) < 0) {
      int errno = Errno.last();
      LIB.close(fd);
      throw CorralException.notFound(
          "%s %s: cannot connect: %s", what, path, Errno.describe(errno));
    }
    return fd;
  }

  /** struct sockaddr_un: sa_family_t (u16, native order) then the NUL-terminated path. */
  private static byte[] address(Path path, String what) {
    byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
    if (p.length >= SocketCalls.SUN_PATH) {
      throw CorralException.invalidArgument("%s %s: path too long", what, path);
    }
    byte[] addr = new byte[2 + SocketCalls.SUN_PATH];
    ByteBuffer.wrap(addr)
        .order(ByteOrder.nativeOrder())
        .putShort((short) SocketCalls.AF_UNIX)
        .put(p);
    return addr;
  }

  /** Receives one packet into {@code buf}; returns its length, 0 at end of stream. */
  public static int receive(int fd, byte[] buf, String what) {
    while (true) {
      long n = LIB.recv(fd, buf, buf.length, 0);
      if (n >= 0) {
        return (int) n;
      }
      Errno.retryOnlyOnEintr(what + ": recv");
    }
  }

  /** Sends one packet of {@code length} bytes; never raises SIGPIPE. */
  public static void send(int fd, byte[] packet, int length, String what) {
    while (LIB.send(fd, packet, length, SocketCalls.MSG_NOSIGNAL) < 0) {
      Errno.retryOnlyOnEintr(what + ": send");
    }
  }

  /** shutdown(2); a socket the peer has gone from already (ENOTCONN) is not an error. */
  public static void shutdown(int fd, int how, String what) {
    if (LIB.shutdown(fd, how) < 0 && Errno.last() != Errno.ENOTCONN) {
      throw Errno.failure(Errno.last(), what + ": shutdown");
    }
  }

  /** close(2), checked; EINTR is not retried (Linux has freed the fd). */
  public static void close(int fd, String what) {
    if (LIB.close(fd) < 0 && Errno.last() != Errno.EINTR) {
      throw Errno.failure(Errno.last(), what + ": close");
    }
  }
}
