package dev.corral.state;

/**
 * Who holds a container: its conmon and its init, written atomically ({@code shim.json}) by the
 * start worker right after {@code runc create} and before {@code runc start}, so that a daemon
 * restarted after a crash can always find and recognise the shim of a container that may be
 * running. Nothing else recovery relies on is written asynchronously. Immutable.
 *
 * @param conmonPid the long-lived conmon
 * @param conmonStartTime field 22 of {@code /proc/PID/stat} of that conmon: with the pid it names
 *     the process even after the pid is reused
 * @param initPid the container's init, in the host pid namespace
 * @param initStartTime the same field of the init, as read when conmon reported its pid; {@link
 *     #UNKNOWN_START} when not read, or in a record written before it was kept
 */
public record ShimRecord(int conmonPid, long conmonStartTime, int initPid, long initStartTime) {
  /** {@link #initStartTime} when unknown (what a record without the field reads as). */
  public static final long UNKNOWN_START = 0;

  public ShimRecord {
    if (conmonPid < 1 || initPid < 1 || conmonStartTime < 0) {
      throw new IllegalArgumentException(
          "shim record: conmon pid " + conmonPid + ", init pid " + initPid);
    }
    if (initStartTime < 0) {
      initStartTime = UNKNOWN_START;
    }
  }

  /** Without the init's start time. */
  public ShimRecord(int conmonPid, long conmonStartTime, int initPid) {
    this(conmonPid, conmonStartTime, initPid, UNKNOWN_START);
  }

  /** Whether the init's start time was recorded. */
  public boolean initStartKnown() {
    return initStartTime != UNKNOWN_START;
  }
}
