package dev.corral.api;

import dev.corral.core.ErrorKind;

/**
 * The one mapping from error kinds to HTTP statuses (and back, for the errors Jetty answers
 * itself). Nothing else in corral knows a status code for an error.
 */
final class HttpErrors {
  private HttpErrors() {}

  static int status(ErrorKind kind) {
    return switch (kind) {
      case INVALID_ARGUMENT -> 400;
      case NOT_FOUND -> 404;
      case PERMISSION_DENIED -> 403;
      case METHOD_NOT_ALLOWED -> 405;
      case ALREADY_EXISTS, FAILED_PRECONDITION -> 409;
      case PAYLOAD_TOO_LARGE -> 413;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_IMPLEMENTED -> 501;
      case INSUFFICIENT_STORAGE -> 507;
      case INTERNAL -> 500;
    };
  }

  /**
   * The kind of an error status that Jetty chose itself (e.g. 400 for an ambiguous URI, 431 for
   * headers too large), for the {@code code} of its JSON body: the kind that maps to that status,
   * else invalid_argument for a 4xx and internal for anything else.
   */
  static ErrorKind kind(int status) {
    for (ErrorKind k : ErrorKind.values()) {
      if (status(k) == status) {
        return k;
      }
    }
    return status >= 400 && status < 500 ? ErrorKind.INVALID_ARGUMENT : ErrorKind.INTERNAL;
  }
}
