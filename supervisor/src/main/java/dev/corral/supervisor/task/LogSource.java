package dev.corral.supervisor.task;

import java.io.IOException;
import java.util.List;

/**
 * A process's log as a {@link LogsTask} answers it: entries read incrementally, filtered, and
 * whether the process has stopped (so a follower knows when one last read ends the log).
 *
 * <p>Owned by one thread at a time (the request's); {@link #ended} may be asked from any thread.
 */
public interface LogSource {
  /**
   * The entries written since the last call that pass the filter, oldest first. The first call
   * returns what is already written, cut to the filter's tail.
   */
  List<LogEntry> next() throws IOException;

  /**
   * Whether the process has stopped (or was deleted): what {@link #next} returns after this is true
   * is the rest of its log. Always true for a source that was not asked to follow.
   */
  boolean ended();
}
