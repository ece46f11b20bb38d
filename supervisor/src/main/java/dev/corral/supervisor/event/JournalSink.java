package dev.corral.supervisor.event;

import dev.corral.core.Namespaces;
import dev.corral.state.EventJournal;
import dev.corral.state.JournalDamage;
import dev.corral.state.StoredEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The event log's sink over the on-disk {@link EventJournal}: converts events to the journal's
 * records and back, and hands on the journal's high-water mark and damage reports.
 *
 * <p>{@link #open} on any thread before the loop starts; {@link #unjournaled} from any thread; the
 * rest on the loop thread.
 */
public final class JournalSink implements EventSink {
  private final EventJournal journal;
  private final List<Event> restored;
  private final long lastSeq;
  private List<JournalDamage> found; // loop thread: damage found at open, until reported

  private JournalSink(EventJournal.Opened o, List<Event> restored) {
    this.journal = o.journal();
    this.restored = restored;
    this.lastSeq = o.lastSeq();
    this.found = o.damage();
  }

  /** Opens the journal in {@code dir}, keeping the newest {@code retain} events in memory. */
  public static JournalSink open(Path dir, int retain) throws IOException {
    EventJournal.Opened o = EventJournal.open(dir, retain);
    List<Event> events = new ArrayList<>(o.events().size());
    for (StoredEvent s : o.events()) {
      events.add(fromStored(s));
    }
    return new JournalSink(o, List.copyOf(events));
  }

  /** The newest retained events found on disk, oldest first (seqs may have gaps: see damage). */
  public List<Event> restored() {
    return restored;
  }

  @Override
  public long lastSeq() {
    return lastSeq;
  }

  @Override
  public List<JournalDamage> takeDamage() {
    if (found.isEmpty()) {
      return journal.takeDamage(); // every batch: nothing allocated when there is nothing
    }
    List<JournalDamage> out = new ArrayList<>(found);
    found = List.of();
    out.addAll(journal.takeDamage());
    return out;
  }

  @Override
  public long unjournaled() {
    return journal.unjournaled();
  }

  @Override
  public void append(Event e) {
    Event.Lost lost = e.lost();
    journal.append(
        new StoredEvent(
            e.seq(),
            e.timestamp().getEpochSecond(),
            e.timestamp().getNano(),
            e.type().wireName(),
            e.id(),
            e.pid(),
            e.status(),
            e.reason(),
            lost == null ? null : lost.first(),
            lost == null ? null : lost.last(),
            e.namespace(),
            e.pod()));
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
        s.reason(),
        s.lostFirst() == null ? null : new Event.Lost(s.lostFirst(), s.lostLast()),
        s.namespace() == null && s.id() != null ? Namespaces.DEFAULT : s.namespace(),
        s.pod());
  }
}
