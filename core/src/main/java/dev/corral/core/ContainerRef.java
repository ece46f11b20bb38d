package dev.corral.core;

/**
 * A container's name in the daemon: its namespace and its id. Ids are unique within a namespace
 * only, so everything that finds a container, or builds a path, cgroup or runc root for one, goes
 * by this pair. Both parts passed {@link Ids#require} before a ref is made.
 *
 * <p>Immutable; usable from any thread.
 */
public record ContainerRef(String namespace, String id) {
  public ContainerRef {
    if (!Ids.isValid(namespace) || !Ids.isValid(id)) {
      throw new IllegalArgumentException("unchecked namespace or id: " + namespace + "/" + id);
    }
  }

  /** A container of the {@code default} namespace. */
  public static ContainerRef of(String id) {
    return new ContainerRef(Namespaces.DEFAULT, id);
  }

  public boolean inDefault() {
    return Namespaces.DEFAULT.equals(namespace);
  }

  /**
   * How messages name it: the bare id in the {@code default} namespace (as before namespaces
   * existed), {@code NS/ID} elsewhere.
   */
  @Override
  public String toString() {
    return inDefault() ? id : namespace + "/" + id;
  }
}
