package dev.corral.supervisor.io;

import dev.corral.runtime.LogLine;
import dev.corral.supervisor.task.LogEntry;
import dev.corral.supervisor.task.LogFilter;
import dev.corral.supervisor.task.LogSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A {@link LogSource} over conmon's k8s-file log: {@link LogReader} parses it, the filter picks,
 * and the first read keeps only the filter's tail.
 *
 * <p>Owned by the reading thread; {@code ended} is thread-safe (a reply's completion).
 */
final class FileLogSource implements LogSource {
  private final LogReader reader;
  private final LogFilter filter;
  private final BooleanSupplier ended;
  private boolean first = true; // the reading thread

  FileLogSource(LogReader reader, LogFilter filter, BooleanSupplier ended) {
    this.reader = reader;
    this.filter = filter;
    this.ended = ended;
  }

  @Override
  public List<LogEntry> next() throws IOException {
    List<LogEntry> out = new ArrayList<>();
    for (LogLine l : reader.readNew()) {
      LogEntry e = new LogEntry(l.timestamp(), l.stream(), l.output());
      if (filter.accepts(e)) {
        out.add(e);
      }
    }
    if (first) {
      first = false;
      return tail(out);
    }
    return out;
  }

  private List<LogEntry> tail(List<LogEntry> entries) {
    if (filter.tail() < 0 || entries.size() <= filter.tail()) {
      return entries;
    }
    return List.copyOf(entries.subList(entries.size() - filter.tail(), entries.size()));
  }

  @Override
  public boolean ended() {
    return ended.getAsBoolean();
  }
}
