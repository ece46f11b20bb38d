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

  public static CorralException internal(Throwable cause, String format, Object... args) {
    return new CorralException(ErrorKind.INTERNAL, String.format(format, args), cause);
  }

  /** Wraps any throwable: a CorralException stays as it is, anything else becomes internal. */
  public static CorralException wrap(Throwable t, String context) {
    if (t instanceof CorralException) {
      return (CorralException) t;
    }
    return internal(t, "%s: %s", context, t.toString());
  }
}
