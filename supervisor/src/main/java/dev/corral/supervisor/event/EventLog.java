package dev.corral.supervisor.event;

import dev.corral.supervisor.LoopGuard;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Numbers the loop's state changes and fans each out to the live subscribers. The seq is gap-free;
 * timestamps carry nanoseconds.
 *
 * <p>Confined to the supervisor loop thread (asserted).
 */
public final class EventLog {
  private final LoopGuard guard;
  private final Clock clock;
  private final Map<Long, Subscriber> subscribers = new LinkedHashMap<>(); // loop thread
  private long lastSeq; // loop thread

  public EventLog(LoopGuard guard, Clock clock, long lastSeq) {
    this.guard = guard;
    this.clock = clock;
    this.lastSeq = lastSeq;
  }

  /** Records an event and sends it to every subscriber; returns it. */
  public Event emit(EventType type, String id, String pid, Integer status) {
    return emit(type, id, pid, status, null);
  }

  /** As {@link #emit(EventType, String, String, Integer)}, saying why (null: no reason). */
  public Event emit(EventType type, String id, String pid, Integer status, String reason) {
    assert guard.inLoop();
    Event e = new Event(++lastSeq, Instant.now(clock), type, id, pid, status, reason);
    Iterator<Subscriber> it = subscribers.values().iterator();
    while (it.hasNext()) {
      if (!it.next().offer(e)) {
        it.remove();
      }
    }
    return e;
  }

  /** Adds a subscriber and sends it the {@code live} marker: everything after is live. */
  public void subscribe(Subscriber s) {
    assert guard.inLoop();
    if (s.offer(Event.marker(EventType.LIVE, lastSeq))) {
      subscribers.put(s.id(), s);
    }
  }

  public void unsubscribe(long subscriberId) {
    assert guard.inLoop();
    Subscriber s = subscribers.remove(subscriberId);
    if (s != null) {
      s.close();
    }
  }

  public int subscriberCount() {
    assert guard.inLoop();
    return subscribers.size();
  }

  public long lastSeq() {
    assert guard.inLoop();
    return lastSeq;
  }
}
