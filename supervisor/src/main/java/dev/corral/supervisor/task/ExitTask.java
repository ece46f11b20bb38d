package dev.corral.supervisor.task;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * The monitor saw a shim exit.
 *
 * @param processId "init" or an exec id
 * @param exitCode from the shim's exit file; empty when the shim died without writing it
 */
public record ExitTask(String containerId, String processId, OptionalInt exitCode, Instant exitedAt)
    implements Notification {}
