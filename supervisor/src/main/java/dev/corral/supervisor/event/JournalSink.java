package dev.corral.supervisor.event;

import dev.corral.state.EventJournal;
import dev.corral.state.StoredEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The event log's sink over the on-disk {@link EventJournal}: converts events to the journal's
 * records and back.
 *
 * <p>{@link #open} on any thread before the loop starts; the rest on the loop thread.
 */
public final class JournalSink implements EventSink {
  private final EventJournal journal;
  private final List<Event> restored;

  private JournalSink(EventJournal journal, List<Event> restored) {
    this.journal = journal;
    this.restored = restored;
  }

  /** Opens the journal in {@code dir}, keeping the newest {@code retain} events in memory. */
  public static JournalSink open(Path dir, int retain) throws IOException {
    EventJournal.Opened o = EventJournal.open(dir, retain);
    List<Event> events = new ArrayList<>(o.events().size());
    for (StoredEvent s : o.events()) {
      events.add(fromStored(s));
    }
    return new JournalSink(o.journal(), List.copyOf(events));
  }

  /** The newest retained events found on disk, oldest first. */
  public List<Event> restored() {
    return restored;
  }

  @Override
  public void append(Event e) {
    journal.append(
        new StoredEvent(
            e.seq(),
            e.timestamp().getEpochSecond(),
            e.timestamp().getNano(),
            e.type().wireName(),
            e.id(),
            e.pid(),
            e.status(),
            e.reason()));
  }

  @Override
  public void flush() {
    journal.flush();
  }

  @Override
  public void close() {
    journal.close();
  }

  private static Event fromStored(StoredEvent s) {
    return new Event(
        s.seq(),
        Instant.ofEpochSecond(s.epochSecond(), s.nano()),
        EventType.fromWire(s.type()),
        s.id(),
        s.pid(),
        s.status(),
        s.reason());
  }
}
