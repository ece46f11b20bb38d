package dev.corral.supervisor.event;

import java.time.Instant;

/**
 * One event: a state change the loop made, or a stream marker. Immutable.
 *
 * @param seq gap-free sequence number (markers carry the seq they refer to)
 * @param id container id (null on markers)
 * @param pid "init" or an exec id, for process events
 * @param status exit code, for {@code exit}
 * @param reason why an {@code exit} is not a plain exit (e.g. {@code shim-lost}), or what damaged
 *     the journal ({@code corrupt}, {@code missing}, {@code disk-full}), else null
 * @param lost the seqs a {@code journal-damaged} event reports lost, else null
 * @param namespace the container's or pod's namespace (null on markers and daemon events)
 * @param pod the uid of the pod of the container, or of a pod event; else null
 */
public record Event(
    long seq,
    Instant timestamp,
    EventType type,
    String id,
    String pid,
    Integer status,
    String reason,
    Lost lost,
    String namespace,
    String pod) {
  /** An event of no pod. */
  public Event(
      long seq,
      Instant timestamp,
      EventType type,
      String id,
      String pid,
      Integer status,
      String reason,
      Lost lost,
      String namespace) {
    this(seq, timestamp, type, id, pid, status, reason, lost, namespace, null);
  }

  /** A range of seqs that were handed out but whose events are gone. Immutable. */
  public record Lost(long first, long last) {}

  /** An event that reports no loss. */
  public Event(
      long seq,
      Instant timestamp,
      EventType type,
      String id,
      String pid,
      Integer status,
      String reason) {
    this(seq, timestamp, type, id, pid, status, reason, null, null);
  }

  /** An event with no reason: every event but an unusual exit. */
  public Event(long seq, Instant timestamp, EventType type, String id, String pid, Integer status) {
    this(seq, timestamp, type, id, pid, status, null);
  }

  public static Event marker(EventType type, long seq) {
    return new Event(seq, null, type, null, null, null);
  }
}
