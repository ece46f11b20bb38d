package dev.corral.runtime;

import dev.corral.core.CorralException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * A connected {@code AF_UNIX SOCK_SEQPACKET} socket, which the JDK cannot open: conmon's attach
 * socket is one (docs/runtime-notes.md). Each packet conmon sends is one byte of stream id (2
 * stdout, 3 stderr) and the data; what we send goes to the container's stdin (with {@code -i});
 * {@link #shutdownOutput} closes that stdin.
 *
 * <p>One thread may receive while another sends or shuts down; {@link #close} must come last, after
 * both are done (a shutdown wakes a blocked receive first).
 */
public final class SeqPacketSocket implements AutoCloseable {
  /** The socket calls; public only because jnr-ffi implements it in a class loader of its own. */
  public interface Native {
    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int connect(int fd, @In byte[] address, int length);

    @SaveError
    @ssize_t
    long recv(int fd, @Out byte[] buf, @size_t long length, int flags);

    @SaveError
    @ssize_t
    long send(int fd, @In byte[] buf, @size_t long length, int flags);

    @SaveError
    int shutdown(int fd, int how);

    @SaveError
    int close(int fd);
  }

  private static final Native NATIVE = LibraryLoader.create(Native.class).load("c");
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(NATIVE);
  private static final int AF_UNIX = 1;
  private static final int SOCK_SEQPACKET = 5;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int MSG_NOSIGNAL = 0x4000;
  private static final int SHUT_RD = 0;
  private static final int SHUT_WR = 1;
  private static final int SUN_PATH = 108;
  private static final int EINTR = 4;
  private static final int ENOTCONN = 107;

  /** conmon reads stdin packets into a buffer of this size; larger packets would be cut. */
  public static final int MAX_PACKET = 8192;

  private final int fd;

  private SeqPacketSocket(int fd) {
    this.fd = fd;
  }

  /**
   * Connects to the socket at {@code path}.
   *
   * @throws CorralException not_found when nothing listens there, internal otherwise
   */
  public static SeqPacketSocket connect(Path path) {
    byte[] addr = address(path);
    int fd = NATIVE.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw PosixSpawn.failure(errno(), "socket(AF_UNIX, SOCK_SEQPACKET)");
    }
    if (NATIVE.connect(fd, addr, addr.length) < 0) {
      int errno = errno();
      NATIVE.close(fd);
      throw CorralException.notFound(
          "attach socket %s: cannot connect: %s", path, PosixSpawn.describe(errno));
    }
    return new SeqPacketSocket(fd);
  }

  /** struct sockaddr_un: sa_family_t (u16, native order) then the NUL-terminated path. */
  private static byte[] address(Path path) {
    byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
    if (p.length >= SUN_PATH) {
      throw CorralException.invalidArgument("attach socket %s: path too long", path);
    }
    byte[] addr = new byte[2 + SUN_PATH];
    java.nio.ByteBuffer.wrap(addr)
        .order(java.nio.ByteOrder.nativeOrder())
        .putShort((short) AF_UNIX)
        .put(p);
    return addr;
  }

  /** Receives one packet into {@code buf}; returns its length, 0 at end of stream. */
  public int receive(byte[] buf) {
    while (true) {
      long n = NATIVE.recv(fd, buf, buf.length, 0);
      if (n >= 0) {
        return (int) n;
      }
      if (errno() != EINTR) {
        throw PosixSpawn.failure(errno(), "attach socket: recv");
      }
    }
  }

  /** Sends {@code data} in packets of at most {@link #MAX_PACKET} bytes. */
  public void send(byte[] data, int offset, int length) {
    for (int at = offset; at < offset + length; ) {
      int n = Math.min(MAX_PACKET, offset + length - at);
      byte[] packet = java.util.Arrays.copyOfRange(data, at, at + n);
      long sent = NATIVE.send(fd, packet, n, MSG_NOSIGNAL);
      if (sent < 0 && errno() != EINTR) {
        throw PosixSpawn.failure(errno(), "attach socket: send");
      }
      at += Math.max(0, (int) sent);
    }
  }

  /** Half-closes: conmon then closes the container's stdin. */
  public void shutdownOutput() {
    shutdown(SHUT_WR);
  }

  /** Wakes a thread blocked in {@link #receive}, which then sees end of stream. */
  public void shutdownInput() {
    shutdown(SHUT_RD);
  }

  private void shutdown(int how) {
    if (NATIVE.shutdown(fd, how) < 0 && errno() != ENOTCONN) {
      throw PosixSpawn.failure(errno(), "attach socket: shutdown");
    }
  }

  @Override
  public void close() {
    if (NATIVE.close(fd) < 0 && errno() != EINTR) {
      throw PosixSpawn.failure(errno(), "attach socket: close");
    }
  }

  private static int errno() {
    return LastError.getLastError(RUNTIME);
  }
}
