package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.recovery.ReportedEvents;
import dev.corral.supervisor.recovery.ReportedEvents.Seen;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportedEventsTest {
  private final List<Event> events = new ArrayList<>();

  private void add(EventType type, String id, String pid) {
    events.add(
        new Event(events.size() + 1, Instant.now(), type, id, pid, null, null, null, "default"));
  }

  @Test
  void theLatestOfStartAndExitCountsPerProcess() {
    add(EventType.START_CONTAINER, "a", "init");
    add(EventType.START_PROCESS, "a", "e1");
    add(EventType.START_PROCESS, "a", "e2");
    add(EventType.EXIT, "a", "e1");
    ReportedEvents r = ReportedEvents.of(events, Set.of(ContainerRef.of("a")));
    assertEquals(Seen.STARTED, r.seen(ContainerRef.of("a"), "init"));
    assertEquals(Seen.EXITED, r.seen(ContainerRef.of("a"), "e1"));
    assertEquals(Seen.STARTED, r.seen(ContainerRef.of("a"), "e2"));
    assertEquals(Seen.NOTHING, r.seen(ContainerRef.of("a"), "e3"));
  }

  @Test
  void aDeleteOrANewStartForgetsTheIdsEarlierLife() {
    add(EventType.START_CONTAINER, "a", "init");
    add(EventType.START_PROCESS, "a", "e1");
    add(EventType.EXIT, "a", "e1");
    add(EventType.EXIT, "a", "init");
    add(EventType.DELETE, "a", "init");
    add(EventType.START_CONTAINER, "b", "init");
    add(EventType.EXIT, "b", "init");
    add(EventType.START_CONTAINER, "b", "init");
    ReportedEvents r =
        ReportedEvents.of(events, Set.of(ContainerRef.of("a"), ContainerRef.of("b")));
    assertEquals(
        Seen.NOTHING, r.seen(ContainerRef.of("a"), "e1"), "an exec of the deleted container");
    assertEquals(Seen.NOTHING, r.seen(ContainerRef.of("a"), "init"));
    assertEquals(
        Seen.STARTED, r.seen(ContainerRef.of("b"), "init"), "the exit belongs to the earlier life");
  }

  @Test
  void onlyTheAskedForContainersAreKept() {
    add(EventType.START_CONTAINER, "other", "init");
    add(EventType.EXIT, "other", "init");
    assertEquals(
        Seen.NOTHING,
        ReportedEvents.of(events, Set.of(ContainerRef.of("a")))
            .seen(ContainerRef.of("other"), "init"));
  }
}
