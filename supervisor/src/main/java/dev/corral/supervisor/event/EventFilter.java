package dev.corral.supervisor.event;

import java.util.Set;

/**
 * Which events a subscriber wants: one namespace (or all), one container id (or all), and a set of
 * types (empty: all). Markers always pass; a namespace filter drops the events of no container.
 * Immutable.
 */
public record EventFilter(String namespace, String id, Set<EventType> types) {
  public static final EventFilter ALL = new EventFilter(null, null, Set.of());

  /** Events of every namespace. */
  public EventFilter(String id, Set<EventType> types) {
    this(null, id, types);
  }

  public EventFilter {
    types = Set.copyOf(types);
  }

  public boolean accepts(Event e) {
    if (e.type() == EventType.LIVE || e.type() == EventType.LAGGED) {
      return true;
    }
    return (namespace == null || namespace.equals(e.namespace()))
        && (id == null || id.equals(e.id()))
        && (types.isEmpty() || types.contains(e.type()));
  }
}
