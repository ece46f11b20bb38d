package dev.corral.supervisor.event;

import java.time.Instant;

/**
 * One event: a state change the loop made, or a stream marker. Immutable.
 *
 * @param seq gap-free sequence number (markers carry the seq they refer to)
 * @param id container id (null on markers)
 * @param pid "init" or an exec id, for process events
 * @param status exit code, for {@code exit}
 * @param reason why an {@code exit} is not a plain exit (e.g. {@code shim-lost}), else null
 */
public record Event(
    long seq,
    Instant timestamp,
    EventType type,
    String id,
    String pid,
    Integer status,
    String reason) {
  /** An event with no reason: every event but an unusual exit. */
  public Event(long seq, Instant timestamp, EventType type, String id, String pid, Integer status) {
    this(seq, timestamp, type, id, pid, status, null);
  }

  public static Event marker(EventType type, long seq) {
    return new Event(seq, null, type, null, null, null);
  }
}
