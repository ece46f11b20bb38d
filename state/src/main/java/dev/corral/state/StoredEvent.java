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
 */
public record StoredEvent(
    long seq,
    long epochSecond,
    int nano,
    String type,
    String id,
    String pid,
    Integer status,
    String reason) {
  /** An event with no reason. */
  public StoredEvent(
      long seq, long epochSecond, int nano, String type, String id, String pid, Integer status) {
    this(seq, epochSecond, nano, type, id, pid, status, null);
  }
}
