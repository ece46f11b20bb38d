package dev.corral.supervisor.event;

import java.time.Instant;

/**
 * One event: a state change the loop made, or a stream marker. Immutable.
 *
 * @param seq gap-free sequence number (markers carry the seq they refer to)
 * @param id container id (null on markers)
 * @param pid "init" or an exec id, for process events
 * @param status exit code, for {@code exit}
 */
public record Event(
    long seq, Instant timestamp, EventType type, String id, String pid, Integer status) {
  public static Event marker(EventType type, long seq) {
    return new Event(seq, null, type, null, null, null);
  }
}
