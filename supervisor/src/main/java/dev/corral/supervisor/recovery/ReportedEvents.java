package dev.corral.supervisor.recovery;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the last daemon already reported about the processes a restarted one recovers, read from the
 * retained events: for each container/process, whether its start and its exit are in the journal. A
 * record on disk that says "reported" is only written after the event is journaled, so an exit that
 * is on neither was never reported, and one in the journal must not be reported again.
 *
 * <p>Only the current life of a container id counts: a {@code start-container} or {@code delete} of
 * the id forgets everything before it (an id is reused after a delete).
 *
 * <p>Built and read on the loop thread; not thread-safe.
 */
public final class ReportedEvents {
  /** How far a process got in the journal. */
  public enum Seen {
    NOTHING,
    STARTED,
    EXITED
  }

  private final Map<ContainerRef, Map<String, Seen>> byContainer = new HashMap<>();

  /** One pass over {@code events} (oldest first), for the containers in {@code ids} only. */
  public static ReportedEvents of(List<Event> events, Set<ContainerRef> ids) {
    ReportedEvents r = new ReportedEvents();
    for (Event e : events) {
      if (e.id() == null || e.namespace() == null) {
        continue;
      }
      ContainerRef id = new ContainerRef(e.namespace(), e.id());
      if (ids.contains(id)) {
        r.apply(id, e);
      }
    }
    return r;
  }

  private void apply(ContainerRef id, Event e) {
    EventType t = e.type();
    if (t == EventType.DELETE || t == EventType.START_CONTAINER) {
      Map<String, Seen> life = new HashMap<>();
      if (t == EventType.START_CONTAINER) {
        life.put(Ids.INIT, Seen.STARTED);
      }
      byContainer.put(id, life);
    } else if (t == EventType.START_PROCESS && e.pid() != null) {
      byContainer.computeIfAbsent(id, k -> new HashMap<>()).put(e.pid(), Seen.STARTED);
    } else if (t == EventType.EXIT && e.pid() != null) {
      byContainer.computeIfAbsent(id, k -> new HashMap<>()).put(e.pid(), Seen.EXITED);
    }
  }

  public Seen seen(ContainerRef id, String pid) {
    return byContainer.getOrDefault(id, Map.of()).getOrDefault(pid, Seen.NOTHING);
  }
}
