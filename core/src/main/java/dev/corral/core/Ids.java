package dev.corral.core;

import java.util.regex.Pattern;

/**
 * Validation of container and process identifiers. Every id that comes from a request passes here
 * before any path, argv or cgroup name is built from it: the pattern admits no slash, no leading
 * dot and nothing longer than 76 characters.
 *
 * <p>Stateless; usable from any thread.
 */
public final class Ids {
  /** The identifier grammar of docs/api.md. */
  public static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,75}$");

  /** The process id that names a container's init, beside the ids of its execs. */
  public static final String INIT = "init";

  private Ids() {}

  /**
   * Returns {@code id} when it is valid.
   *
   * @param field the request field it came from, named in the error message
   * @throws CorralException invalid_argument naming the field
   */
  public static String require(String field, String id) {
    if (id == null || id.isEmpty()) {
      throw CorralException.invalidArgument("%s: must not be empty", field);
    }
    if (!PATTERN.matcher(id).matches()) {
      throw CorralException.invalidArgument(
          "%s: %s does not match %s", field, quote(id), PATTERN.pattern());
    }
    return id;
  }

  public static boolean isValid(String id) {
    return id != null && PATTERN.matcher(id).matches();
  }

  private static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return '"' + shown.replace("\"", "\\\"") + '"';
  }
}
