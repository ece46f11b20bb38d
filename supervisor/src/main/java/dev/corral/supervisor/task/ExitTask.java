package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * The monitor saw a shim exit. Handled by {@link dev.corral.supervisor.exit.ExitHandler}, the one
 * owner of exit ordering.
 *
 * @param processId "init" or an exec id
 * @param exitCode from the shim's exit file; empty when the shim died without writing it
 */
public record ExitTask(ContainerRef id, String processId, OptionalInt exitCode, Instant exitedAt)
    implements Notification {}
