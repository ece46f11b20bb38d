package dev.corral.supervisor.task;

import java.time.Instant;

/**
 * A worker dealt with a container whose conmon died without writing an exit code: it killed what
 * was left running (exit 137) or found it gone already (255), and cleaned runc's state. The exit is
 * recorded with reason {@code shim-lost}.
 */
public record ShimLostTask(String id, int exitCode, Instant exitedAt) implements Notification {}
