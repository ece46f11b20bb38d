package dev.corral.runtime;

/**
 * A running exec, as {@link ContainerRuntime#exec} reports it. A pid names a process only with its
 * start time (pids are reused quickly here), so both are kept, for the exec and for its conmon.
 *
 * @param pid the exec's process in the host pid namespace
 * @param startTime field 22 of {@code /proc/<pid>/stat}
 * @param conmonPid the exec's long-lived conmon, which the exit monitor watches
 * @param conmonStartTime field 22 of {@code /proc/<conmonPid>/stat}
 */
public record ExecStarted(int pid, long startTime, int conmonPid, long conmonStartTime) {}
