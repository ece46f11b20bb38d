package dev.corral.supervisor.event;

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
