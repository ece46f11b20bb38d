package dev.corral.core;

/**
 * The classes of failure corral reports. Each maps to exactly one HTTP status at the API edge (and
 * nowhere else); the wire names are the {@code code} field of an error body.
 *
 * <p>Immutable; usable from any thread.
 */
public enum ErrorKind {
  INVALID_ARGUMENT("invalid_argument"),
  NOT_FOUND("not_found"),
  METHOD_NOT_ALLOWED("method_not_allowed"),
  /** The caller's uid and gid (from the socket's peer credentials) are not allowed to call. */
  PERMISSION_DENIED("permission_denied"),
  ALREADY_EXISTS("already_exists"),
  FAILED_PRECONDITION("failed_precondition"),
  PAYLOAD_TOO_LARGE("payload_too_large"),
  UNAVAILABLE("unavailable"),
  DEADLINE_EXCEEDED("deadline_exceeded"),
  NOT_IMPLEMENTED("not_implemented"),
  /** The disk under the daemon's root is full (ENOSPC): a state that passes, not a fault. */
  INSUFFICIENT_STORAGE("insufficient_storage"),
  INTERNAL("internal");

  private final String wireName;

  ErrorKind(String wireName) {
    this.wireName = wireName;
  }

  /** The {@code code} string of an error body, e.g. {@code not_found}. */
  public String wireName() {
    return wireName;
  }
}
