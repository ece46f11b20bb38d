package dev.corral.supervisor.model;

import dev.corral.core.ContainerRef;
import dev.corral.core.Namespaces;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The container table: every container the daemon knows, by namespace and id. A plain HashMap
 * because exactly one thread touches it.
 *
 * <p>Confined to the supervisor loop thread; every method asserts it.
 */
public final class ContainerTable {
  private final LoopGuard guard;
  private final Map<ContainerRef, Container> byId = new HashMap<>(); // loop thread
  // Loop thread: every namespace known (with a container, or a directory found at start).
  private final Set<String> namespaces = new TreeSet<>(Set.of(Namespaces.DEFAULT));

  public ContainerTable(LoopGuard guard) {
    this.guard = guard;
  }

  /**
   * The container or not_found.
   *
   * @throws dev.corral.core.CorralException not_found naming the id
   */
  public Container require(ContainerRef id) {
    Container c = get(id);
    if (c == null) {
      throw dev.corral.core.CorralException.notFound("container %s: not found", id);
    }
    return c;
  }

  public Container get(ContainerRef id) {
    assert guard.inLoop();
    return byId.get(id);
  }

  public void put(Container c) {
    assert guard.inLoop();
    byId.put(c.ref(), c);
    namespaces.add(c.namespace());
  }

  /** A namespace found at start with no container in it (its directories are there). */
  public void addNamespace(String ns) {
    assert guard.inLoop();
    namespaces.add(ns);
  }

  /** Forgets an empty namespace (being deleted); {@code default} always stays. */
  public void removeNamespace(String ns) {
    assert guard.inLoop();
    if (!Namespaces.DEFAULT.equals(ns)) {
      namespaces.remove(ns);
    }
  }

  /** Every namespace known, sorted. */
  public Set<String> namespaces() {
    assert guard.inLoop();
    return namespaces;
  }

  public void remove(ContainerRef id) {
    assert guard.inLoop();
    byId.remove(id);
  }

  /** How many containers namespace {@code ns} holds, being created or deleted included. */
  public int count(String ns) {
    assert guard.inLoop();
    int n = 0;
    for (ContainerRef r : byId.keySet()) {
      if (r.namespace().equals(ns)) {
        n++;
      }
    }
    return n;
  }

  public Collection<Container> all() {
    assert guard.inLoop();
    return byId.values();
  }
}
