package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import java.time.Instant;

/**
 * A worker dealt with a process whose conmon died without writing an exit code: it killed what was
 * left running (exit 137) or found it gone already (255); for a container's init it also cleaned
 * runc's state. The exit is recorded with reason {@code shim-lost}.
 *
 * <p>Handled by {@link dev.corral.supervisor.exit.ExitHandler}.
 *
 * @param processId "init", or the exec id
 */
public record ShimLostTask(ContainerRef id, String processId, int exitCode, Instant exitedAt)
    implements Notification {}
