package dev.corral.supervisor.task;

import java.time.Instant;

/**
 * One entry of a process's log, as a {@link LogSource} reads it. Immutable.
 *
 * @param stream {@code stdout} or {@code stderr}
 * @param log the output as the process wrote it: a full line ends in a newline, a partial chunk
 *     does not, so concatenating {@code log} per stream restores the output
 */
public record LogEntry(Instant timestamp, String stream, String log) {}
