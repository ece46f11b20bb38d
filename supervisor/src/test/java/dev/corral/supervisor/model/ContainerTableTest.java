package dev.corral.supervisor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.state.ContainerRecord;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The table's pod index follows every put and remove, per namespace. */
class ContainerTableTest {
  private ContainerTable table;

  @BeforeEach
  void loop() {
    LoopGuard guard = new LoopGuard();
    guard.bindToCurrentThread(); // the test thread is the loop
    table = new ContainerTable(guard);
  }

  private static Container container(String ns, String id, String pod) {
    Map<String, String> labels = pod == null ? Map.of() : Map.of(ContainerTable.POD_UID_LABEL, pod);
    return new Container(
        new ContainerRecord(
            id, "/b", labels, false, false, List.of(), "2026-12-06T00:00:00Z", ns, null),
        null);
  }

  private List<String> ids(String ns, String uid) {
    return table.inPod(ns, uid).stream().map(Container::id).toList();
  }

  @Test
  void aPodsContainersAreFoundByNamespaceAndUidInTheOrderAdded() {
    table.put(container("default", "sandbox", "u1"));
    table.put(container("default", "app", "u1"));
    table.put(container("team", "app", "u1")); // the same uid in another namespace
    table.put(container("default", "loner", null));
    table.put(container("default", "other", "u2"));

    assertEquals(List.of("sandbox", "app"), ids("default", "u1"));
    assertEquals(List.of("app"), ids("team", "u1"));
    assertEquals(List.of(), ids("default", "u3"));
    assertEquals(Set.of("u1", "u2"), table.podUids("default"));
    assertEquals(Set.of("u1"), table.podUids("team"));
  }

  @Test
  void removesAndReplacementsLeaveNoStaleMember() {
    Container first = container("default", "app", "u1");
    table.put(first);
    table.put(container("default", "side", "u1"));
    Container again = container("default", "app", "u1"); // the same ref put again
    table.put(again);
    assertEquals(List.of("side", "app"), ids("default", "u1"));
    assertTrue(table.inPod("default", "u1").contains(again));

    table.remove(ContainerRef.of("app"));
    assertEquals(List.of("side"), ids("default", "u1"));
    table.remove(ContainerRef.of("side"));
    assertEquals(List.of(), ids("default", "u1"));
    assertEquals(Set.of(), table.podUids("default"), "an empty pod leaves the index");
    table.remove(ContainerRef.of("never-there"));
  }
}
