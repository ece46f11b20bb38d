package dev.corral.runtime.sys;

import dev.corral.core.CorralException;
import jnr.ffi.LastError;

/**
 * The one place errno becomes text: every failed libc call of the native layer ends as a {@link
 * CorralException} (internal) whose message names the call and carries strerror's text and the
 * number, e.g. {@code spawn /x: No such file or directory (errno 2)}.
 *
 * <p>Stateless; safe from any thread: jnr-ffi saves errno per thread right after a call marked
 * {@code @SaveError}, and glibc (>= 2.32) returns static text from strerror for known errors.
 */
public final class Errno {
  static final int ENOENT = 2;
  static final int ESRCH = 3;
  static final int EINTR = 4;
  static final int ENXIO = 6;
  static final int EAGAIN = 11;
  static final int EINVAL = 22;
  static final int ENOTTY = 25;
  static final int ENOTCONN = 107;

  /** strerror; public only because jnr-ffi implements it in a class loader of its own. */
  public interface Calls {
    String strerror(int errnum);
  }

  private static final Calls LIB = Libc.bind(Calls.class);
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIB);

  private Errno() {}

  /** The errno the last {@code @SaveError} call on this thread left. */
  public static int last() {
    return LastError.getLastError(RUNTIME);
  }

  /** {@code "No such file or directory (errno 2)"}. */
  public static String describe(int errno) {
    return LIB.strerror(errno) + " (errno " + errno + ")";
  }

  /** {@code WHAT: TEXT (errno N)}, internal. */
  public static CorralException failure(int errno, String what) {
    return CorralException.internal(null, "%s: %s", what, describe(errno));
  }

  /** Returns {@code rc}, or throws for a -1-style failure with this thread's saved errno. */
  static long check(long rc, String what) {
    if (rc < 0) {
      throw failure(last(), what);
    }
    return rc;
  }

  /** Throws for a non-zero error number as the posix_spawn* functions return it. */
  static void checkZero(int errno, String what) {
    if (errno != 0) {
      throw failure(errno, what);
    }
  }

  /** Throws unless the last call failed with EINTR, which the caller then retries. */
  static void retryOnlyOnEintr(String what) {
    int errno = last();
    if (errno != EINTR) {
      throw failure(errno, what);
    }
  }
}
