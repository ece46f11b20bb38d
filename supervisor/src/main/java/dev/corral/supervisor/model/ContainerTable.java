package dev.corral.supervisor.model;

import dev.corral.supervisor.thread.LoopGuard;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The container table: every container the daemon knows, by id. A plain HashMap because exactly one
 * thread touches it.
 *
 * <p>Confined to the supervisor loop thread; every method asserts it.
 */
public final class ContainerTable {
  private final LoopGuard guard;
  private final Map<String, Container> byId = new HashMap<>(); // loop thread

  public ContainerTable(LoopGuard guard) {
    this.guard = guard;
  }

  /**
   * The container or not_found.
   *
   * @throws dev.corral.core.CorralException not_found naming the id
   */
  public Container require(String id) {
    Container c = get(id);
    if (c == null) {
      throw dev.corral.core.CorralException.notFound("container %s: not found", id);
    }
    return c;
  }

  public Container get(String id) {
    assert guard.inLoop();
    return byId.get(id);
  }

  public void put(Container c) {
    assert guard.inLoop();
    byId.put(c.id(), c);
  }

  public void remove(String id) {
    assert guard.inLoop();
    byId.remove(id);
  }

  public Collection<Container> all() {
    assert guard.inLoop();
    return byId.values();
  }
}
