package dev.corral.core;

/**
 * The one exception type of corral: a kind plus a lower-case message that puts the context first
 * ({@code "container c1: not found"}). Build it with the static factories; the API edge turns the
 * kind into a status and the message into the body.
 *
 * <p>Immutable; safe to pass between threads.
 */
public final class CorralException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;

  public CorralException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }

  public static CorralException invalidArgument(String format, Object... args) {
    return new CorralException(ErrorKind.INVALID_ARGUMENT, String.format(format, args), null);
  }

  public static CorralException notFound(String format, Object... args) {
    return new CorralException(ErrorKind.NOT_FOUND, String.format(format, args), null);
  }

  public static CorralException methodNotAllowed(String format, Object... args) {
    return new CorralException(ErrorKind.METHOD_NOT_ALLOWED, String.format(format, args), null);
  }

  public static CorralException permissionDenied(String format, Object... args) {
    return new CorralException(ErrorKind.PERMISSION_DENIED, String.format(format, args), null);
  }

  public static CorralException alreadyExists(String format, Object... args) {
    return new CorralException(ErrorKind.ALREADY_EXISTS, String.format(format, args), null);
  }

  public static CorralException failedPrecondition(String format, Object... args) {
    return new CorralException(ErrorKind.FAILED_PRECONDITION, String.format(format, args), null);
  }

  public static CorralException payloadTooLarge(String format, Object... args) {
    return new CorralException(ErrorKind.PAYLOAD_TOO_LARGE, String.format(format, args), null);
  }

  public static CorralException unavailable(String format, Object... args) {
    return new CorralException(ErrorKind.UNAVAILABLE, String.format(format, args), null);
  }

  public static CorralException deadlineExceeded(String format, Object... args) {
    return new CorralException(ErrorKind.DEADLINE_EXCEEDED, String.format(format, args), null);
  }

  public static CorralException notImplemented(String format, Object... args) {
    return new CorralException(ErrorKind.NOT_IMPLEMENTED, String.format(format, args), null);
  }

  /**
   * An internal error, unless {@code cause} is a full disk ({@link DiskFull}): that is
   * insufficient_storage, with a message naming the path and ENOSPC, so every caller that wraps an
   * IOException gets the right kind without knowing about full disks.
   */
  public static CorralException internal(Throwable cause, String format, Object... args) {
    String message = String.format(format, args);
    String full = DiskFull.describe(cause);
    if (full != null) {
      return insufficientStorage(cause, message, full);
    }
    return new CorralException(ErrorKind.INTERNAL, message, cause);
  }

  /**
   * The caller's message with the cause's own text (usually formatted into it) replaced by {@code
   * detail}: {@code "container c1: create dirs: <path>: no space left on device (ENOSPC)"}.
   */
  private static CorralException insufficientStorage(
      Throwable cause, String message, String detail) {
    int cut = -1;
    for (String own : new String[] {cause.toString(), String.valueOf(cause.getMessage())}) {
      int at = message.indexOf(own);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    String context = cut < 0 ? message + ": " : message.substring(0, cut);
    return new CorralException(ErrorKind.INSUFFICIENT_STORAGE, context + detail, cause);
  }

  /** Wraps any throwable: a CorralException stays as it is, anything else becomes internal. */
  public static CorralException wrap(Throwable t, String context) {
    if (t instanceof CorralException) {
      return (CorralException) t;
    }
    String full = DiskFull.describe(t);
    if (full != null) {
      return new CorralException(ErrorKind.INSUFFICIENT_STORAGE, context + ": " + full, t);
    }
    return internal(t, "%s: %s", context, t.toString());
  }
}
