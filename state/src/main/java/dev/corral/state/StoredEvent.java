package dev.corral.state;

/**
 * One event as the journal stores it: the supervisor's event without its types, so the state module
 * knows nothing of the supervisor. Immutable.
 *
 * @param seq gap-free sequence number
 * @param epochSecond seconds of the timestamp since the epoch
 * @param nano nanoseconds within that second
 * @param type the wire name ({@code exit}, ...)
 * @param id container id, or null
 * @param pid "init" or an exec id, or null
 * @param status exit code, or null
 * @param reason why, for an unusual exit or a {@code journal-damaged} event, or null
 * @param lostFirst first seq of the range a {@code journal-damaged} event reports lost, or null
 * @param lostLast last seq of that range, or null
 * @param namespace the container's namespace, or null (a record from before namespaces, of the
 *     {@code default} one, or an event of no container)
 * @param pod the uid of the container's pod, or of a pod event; else null
 */
public record StoredEvent(
    long seq,
    long epochSecond,
    int nano,
    String type,
    String id,
    String pid,
    Integer status,
    String reason,
    Long lostFirst,
    Long lostLast,
    String namespace,
    String pod) {
  public StoredEvent {
    if ((lostFirst == null) != (lostLast == null)) {
      throw new IllegalArgumentException("event " + seq + ": lost range needs both ends");
    }
  }

  /** An event that reports no lost range. */
  public StoredEvent(
      long seq,
      long epochSecond,
      int nano,
      String type,
      String id,
      String pid,
      Integer status,
      String reason) {
    this(seq, epochSecond, nano, type, id, pid, status, reason, null, null, null, null);
  }

  /** An event with no reason. */
  public StoredEvent(
      long seq, long epochSecond, int nano, String type, String id, String pid, Integer status) {
    this(seq, epochSecond, nano, type, id, pid, status, null);
  }
}
