package dev.corral.runtime.sys;

import dev.corral.core.CorralException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import jnr.ffi.byref.IntByReference;

/**
 * Who is on the other end of a unix socket, as the kernel recorded it at {@code connect}: {@code
 * SO_PEERCRED}'s pid, uid and gid. The JDK's own {@code ExtendedSocketOptions.SO_PEERCRED} gives
 * user and group names but no pid and no numbers, so this asks the kernel itself, on the channel's
 * fd. The JDK keeps that fd behind {@code sun.nio.ch.SelChImpl.getFDVal()}, which the JVM must
 * export to us: {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (scripts/corrald passes it).
 *
 * <p>Immutable; {@link #of} may be called from any thread.
 *
 * @param pid the peer's process id at connect time (it may have exited since)
 * @param uid the peer's effective uid at connect time
 * @param gid the peer's effective (primary) gid at connect time
 */
public record PeerCredentials(long pid, int uid, int gid) {
  /** The JVM flag that lets {@link #of} reach a channel's fd. */
  public static final String JVM_FLAG = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

  private static final int UCRED_BYTES = 12; // struct ucred: pid_t, uid_t, gid_t
  private static final Method FD_VAL = fdAccessor();

  /** {@code uid=0 gid=0 pid=123}: how a log line names the caller. */
  @Override
  public String toString() {
    return "uid=" + uid + " gid=" + gid + " pid=" + pid;
  }

  /**
   * Checks once, at start, that {@link #of} will work in this JVM.
   *
   * @throws CorralException failed_precondition naming the JVM flag when the fd is out of reach
   */
  public static void requireAvailable() {
    if (FD_VAL == null) {
      throw CorralException.failedPrecondition(
          "peer credentials: this JVM hides socket fds; start it with %s (scripts/corrald does)",
          JVM_FLAG);
    }
  }

  /**
   * The credentials of {@code channel}'s peer.
   *
   * @throws CorralException internal when the fd is out of reach or getsockopt fails
   */
  public static PeerCredentials of(SocketChannel channel) {
    requireAvailable();
    int fd = fd(channel);
    byte[] ucred = new byte[UCRED_BYTES];
    IntByReference length = new IntByReference(UCRED_BYTES);
    Errno.check(
        SocketCalls.LIB.getsockopt(
            fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_PEERCRED, ucred, length),
        "getsockopt SO_PEERCRED");
    ByteBuffer b = ByteBuffer.wrap(ucred).order(ByteOrder.nativeOrder());
    return new PeerCredentials(Integer.toUnsignedLong(b.getInt(0)), b.getInt(4), b.getInt(8));
  }

  private static int fd(SocketChannel channel) {
    try {
      return (int) FD_VAL.invoke(channel);
    } catch (IllegalAccessException | InvocationTargetException | ClassCastException e) {
      throw CorralException.internal(e, "peer credentials: no fd for %s: %s", channel, e);
    }
  }

  private static Method fdAccessor() {
    try {
      Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
      return Object.class.getModule().isExported("sun.nio.ch", PeerCredentials.class.getModule())
          ? m
          : null;
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
