package dev.corral.runtime.sys;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc binding for the sockets the JDK cannot open ({@code AF_UNIX SOCK_SEQPACKET}), and for
 * the peer credentials the JDK reports without the pid. Raw; {@link SeqPacket} and {@link
 * PeerCredentials} check every result.
 *
 * <p>Stateless; any thread.
 */
final class SocketCalls {
  /** The calls; public only because jnr-ffi implements it in a class loader of its own. */
  public interface Lib {
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
    int getsockopt(int fd, int level, int name, @Out byte[] value, @In @Out IntByReference length);

    @SaveError
    int close(int fd);
  }

  static final Lib LIB = Libc.bind(Lib.class);

  static final int AF_UNIX = 1;
  static final int SOCK_SEQPACKET = 5;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int MSG_NOSIGNAL = 0x4000;
  static final int SUN_PATH = 108;
  static final int SOL_SOCKET = 1;
  static final int SO_PEERCRED = 17;

  private SocketCalls() {}
}
