package dev.corral.runtime;

/**
 * The outcome of a successful {@link ContainerRuntime#create}: the container exists in runc's
 * "created" state, held by a long-lived conmon.
 *
 * @param initPid the container's init pid (in the host pid namespace)
 * @param conmonPid the long-lived conmon, parent of the init
 * @param conmonStartTime field 22 of {@code /proc/<conmonPid>/stat}, clock ticks since boot; with
 *     the pid it names the process even after pids are reused
 * @param initStartTime the same field of the init, read when conmon reported its pid and checked to
 *     be conmon's child then; {@link #UNKNOWN} when not read (a record from before it was kept)
 */
public record Created(int initPid, int conmonPid, long conmonStartTime, long initStartTime) {
  /** {@link #initStartTime} when it was not read: the init is then watched through conmon only. */
  public static final long UNKNOWN = -1;

  /** Without the init's start time (recovered from a record that does not keep it). */
  public Created(int initPid, int conmonPid, long conmonStartTime) {
    this(initPid, conmonPid, conmonStartTime, UNKNOWN);
  }
}
