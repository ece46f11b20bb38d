package dev.corral.runtime;

/**
 * The outcome of a successful {@link ContainerRuntime#create}: the container exists in runc's
 * "created" state, held by a long-lived conmon.
 *
 * @param initPid the container's init pid (in the host pid namespace)
 * @param conmonPid the long-lived conmon, parent of the init
 * @param conmonStartTime field 22 of {@code /proc/<conmonPid>/stat}, clock ticks since boot; with
 *     the pid it names the process even after pids are reused
 */
public record Created(int initPid, int conmonPid, long conmonStartTime) {}
