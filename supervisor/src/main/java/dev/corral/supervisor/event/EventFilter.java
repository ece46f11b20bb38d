package dev.corral.supervisor.event;

import java.util.Set;

/**
 * Which events a subscriber wants: one container id (or all), and a set of types (empty: all).
 * Markers always pass. Immutable.
 */
public record EventFilter(String id, Set<EventType> types) {
  public static final EventFilter ALL = new EventFilter(null, Set.of());

  public EventFilter {
    types = Set.copyOf(types);
  }

  public boolean accepts(Event e) {
    if (e.type() == EventType.LIVE || e.type() == EventType.LAGGED) {
      return true;
    }
    return (id == null || id.equals(e.id())) && (types.isEmpty() || types.contains(e.type()));
  }
}
