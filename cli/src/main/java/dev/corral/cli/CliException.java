package dev.corral.cli;

/**
 * A failure the CLI reports as one line on stderr and a non-zero exit: the daemon's error message,
 * or why the daemon could not be reached.
 *
 * <p>Immutable.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
