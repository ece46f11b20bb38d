package dev.corral.supervisor.event;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One event stream client: a bounded buffer between the loop (the only producer) and the client's
 * own thread (the only consumer). The loop never blocks on it: when the buffer is full the
 * subscriber gets a {@code lagged} marker in a slot kept free for it, and is closed.
 *
 * <p>Thread contract: {@link #offer} is called on the loop thread only; {@link #poll} on the
 * consumer thread only; {@link #close} and {@link #isClosed} from anywhere.
 */
public final class Subscriber {
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final EventFilter filter;
  private final int capacity;
  // One slot more than capacity, reserved for the lagged marker.
  private final ArrayBlockingQueue<Event> queue;
  private volatile boolean closed; // written by loop or consumer, read by both

  public Subscriber(EventFilter filter, int capacity) {
    this.filter = filter;
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity + 1);
  }

  public long id() {
    return id;
  }

  public EventFilter filter() {
    return filter;
  }

  /**
   * Loop thread: queues {@code e} if the filter wants it. Returns false when the subscriber is
   * (now) closed: it was closed by its client, or it lagged and got the marker.
   */
  public boolean offer(Event e) {
    if (closed) {
      return false;
    }
    if (!filter.accepts(e)) {
      return true;
    }
    // Only the loop adds, so size() can only shrink between this check and the add.
    if (queue.size() >= capacity) {
      queue.add(Event.marker(EventType.LAGGED, e.seq() - 1));
      closed = true;
      return false;
    }
    queue.add(e);
    return true;
  }

  /** Consumer thread: the next event, or null after {@code timeout}. */
  public Event poll(Duration timeout) throws InterruptedException {
    return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** True once closed and every queued event has been taken. */
  public boolean isDrained() {
    return closed && queue.isEmpty();
  }

  public void close() {
    closed = true;
  }

  public boolean isClosed() {
    return closed;
  }
}
