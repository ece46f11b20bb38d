package dev.corral.supervisor.event;

import dev.corral.state.JournalDamage;
import java.util.List;

/**
 * Where the event log makes its events durable: the on-disk journal in the daemon, nothing in tests
 * that do not need it.
 *
 * <p>Loop thread only, like the event log that calls it.
 */
public interface EventSink {
  /** Takes one event; it need not reach the disk before {@link #flush}. */
  void append(Event e);

  /** Hands everything appended to the kernel; called once per ring batch. */
  void flush();

  /** Flushes and releases the sink; the last call. */
  void close();

  /** The last seq this sink ever took, across restarts (the log continues after it). */
  default long lastSeq() {
    return 0;
  }

  /** Damage to report as {@code journal-damaged} events, each given once. */
  default List<JournalDamage> takeDamage() {
    return List.of();
  }

  /** Events taken but not yet durable (the disk is full); safe from any thread. */
  default long unjournaled() {
    return 0;
  }

  EventSink NONE =
      new EventSink() {
        @Override
        public void append(Event e) {}

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
}
