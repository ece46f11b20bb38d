package dev.corral.supervisor.model;

import dev.corral.core.ContainerRef;
import dev.corral.core.Namespaces;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The container table: every container the daemon knows, by namespace and id, and grouped by the
 * pod its {@link #POD_UID_LABEL} names (so a pod's status is composed from its own containers, not
 * from a walk of the whole table). Plain HashMaps because exactly one thread touches them.
 *
 * <p>Confined to the supervisor loop thread; every method asserts it.
 */
public final class ContainerTable {
  /** The kubelet's label naming a container's pod; a container's labels never change. */
  public static final String POD_UID_LABEL = "io.kubernetes.pod.uid";

  private final LoopGuard guard;
  private final Map<ContainerRef, Container> byId = new HashMap<>(); // loop thread
  // Loop thread: the containers of each pod (namespace and uid), in the order they were added.
  private final Map<PodKey, Map<ContainerRef, Container>> byPod = new HashMap<>();
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

  /** A pod's key in the index: its namespace and uid. */
  private record PodKey(String namespace, String uid) {}

  public void put(Container c) {
    assert guard.inLoop();
    Container old = byId.put(c.ref(), c);
    if (old != null) {
      unindex(old);
    }
    String uid = podUid(c);
    if (uid != null) {
      byPod
          .computeIfAbsent(new PodKey(c.namespace(), uid), k -> new LinkedHashMap<>())
          .put(c.ref(), c);
    }
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
    Container old = byId.remove(id);
    if (old != null) {
      unindex(old);
    }
  }

  private void unindex(Container c) {
    String uid = podUid(c);
    if (uid == null) {
      return;
    }
    PodKey key = new PodKey(c.namespace(), uid);
    Map<ContainerRef, Container> members = byPod.get(key);
    if (members != null && members.remove(c.ref()) == c && members.isEmpty()) {
      byPod.remove(key);
    }
  }

  private static String podUid(Container c) {
    return c.meta().labels().get(POD_UID_LABEL);
  }

  /** The containers labelled with pod {@code uid} in namespace {@code ns}, sandbox included. */
  public Collection<Container> inPod(String ns, String uid) {
    assert guard.inLoop();
    Map<ContainerRef, Container> members = byPod.get(new PodKey(ns, uid));
    return members == null ? List.of() : Collections.unmodifiableCollection(members.values());
  }

  /** The uids of the pods with a container in namespace {@code ns}, sorted. */
  public Set<String> podUids(String ns) {
    assert guard.inLoop();
    Set<String> uids = new TreeSet<>();
    for (PodKey k : byPod.keySet()) {
      if (k.namespace().equals(ns)) {
        uids.add(k.uid());
      }
    }
    return uids;
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
