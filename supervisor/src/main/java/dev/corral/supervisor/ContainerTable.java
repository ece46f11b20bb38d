package dev.corral.supervisor;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The container table: every container the daemon knows, by id. A plain HashMap because exactly one
 * thread touches it.
 *
 * <p>Confined to the supervisor loop thread; every method asserts it.
 */
final class ContainerTable {
  private final LoopGuard guard;
  private final Map<String, Container> byId = new HashMap<>(); // loop thread

  ContainerTable(LoopGuard guard) {
    this.guard = guard;
  }

  Container get(String id) {
    assert guard.inLoop();
    return byId.get(id);
  }

  void put(Container c) {
    assert guard.inLoop();
    byId.put(c.id(), c);
  }

  void remove(String id) {
    assert guard.inLoop();
    byId.remove(id);
  }

  Collection<Container> all() {
    assert guard.inLoop();
    return byId.values();
  }
}
