package dev.corral.supervisor.task;

import dev.corral.core.CorralException;
import java.time.Instant;

/**
 * Which log entries a reader wants: those strictly after {@code since} (null: all), of the chosen
 * streams, and of those only the last {@code tail} already written (-1: all). Immutable.
 */
public record LogFilter(Instant since, int tail, boolean stdout, boolean stderr) {
  public LogFilter {
    if (tail < -1) {
      throw CorralException.invalidArgument("tail: %d is not a count of lines", tail);
    }
  }

  public boolean accepts(LogEntry e) {
    boolean stream = e.stream().equals("stdout") ? stdout : stderr;
    return stream && (since == null || e.timestamp().isAfter(since));
  }
}
