package dev.corral.supervisor.task;

/** What {@code wait} returns: the init's exit code and time. Immutable. */
public record ExitView(int exitCode, String exitedAt, boolean oomKilled, String reason) {}
