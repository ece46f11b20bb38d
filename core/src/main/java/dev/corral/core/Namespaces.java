package dev.corral.core;

/**
 * Namespace names. A request names its namespace with the {@value #HEADER} header, else the {@code
 * namespace} query parameter, else it is in {@value #DEFAULT}. Names follow the id rule.
 *
 * <p>Stateless; usable from any thread.
 */
public final class Namespaces {
  /** The namespace of a request that names none, and of every container from before namespaces. */
  public static final String DEFAULT = "default";

  /** The request header that names the namespace. */
  public static final String HEADER = "Corral-Namespace";

  private Namespaces() {}

  /**
   * Returns {@code name} when it is a valid namespace name.
   *
   * @param field the request field or header it came from, named in the error message
   * @throws CorralException invalid_argument naming the field
   */
  public static String require(String field, String name) {
    return Ids.require(field, name);
  }
}
