package dev.corral.supervisor.event;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One event stream client. The loop registers it in one step ({@link EventLog#subscribe}): it hands
 * over a snapshot of the replay and the seq live delivery starts after. The client's own thread
 * then takes the replay, the {@code live} marker, and live events straight from the shared {@link
 * LiveRing}, at its own pace: the loop never waits for it and never does per-subscriber work per
 * event. A subscriber more than {@code capacity} events behind the head gets a {@code lagged}
 * marker carrying the last seq it was given (so {@code after=N} resumes with nothing missed) and is
 * done.
 *
 * <p>Thread contract: {@link #start} on the loop thread, before the subscribe reply completes;
 * {@link #poll} and {@link #isDrained} on the consumer thread only (after that reply); {@link
 * #close} and {@link #isClosed} from anywhere.
 */
public final class Subscriber {
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final EventFilter filter;
  private final Start from;
  private final int capacity;
  private volatile LiveRing ring; // set once by the loop in start(); read by the consumer
  private volatile List<Event> replay = List.of(); // set once by the loop in start()
  private volatile long liveFrom; // set once by the loop in start()
  private volatile boolean closed; // written by loop or consumer, read by both
  private int replayed; // consumer thread: replay events taken so far
  private boolean liveSent; // consumer thread
  private long cursor; // consumer thread: last live seq taken (delivered or filtered out)
  private boolean done; // consumer thread: the lagged marker was handed out

  public Subscriber(EventFilter filter, Start from, int capacity) {
    this.filter = filter;
    this.from = from;
    this.capacity = capacity;
  }

  /** A live-only subscriber. */
  public Subscriber(EventFilter filter, int capacity) {
    this(filter, Start.LIVE, capacity);
  }

  public long id() {
    return id;
  }

  public EventFilter filter() {
    return filter;
  }

  public Start from() {
    return from;
  }

  /** Loop: the replay snapshot, and live delivery from the event after {@code lastSeq}. */
  void start(LiveRing ring, List<Event> replay, long lastSeq) {
    this.replay = replay;
    this.liveFrom = lastSeq;
    this.ring = ring;
  }

  /**
   * Consumer thread: the next event (replay first, then the {@code live} marker, then live events),
   * or null when none came within {@code timeout} or the subscriber is closed.
   */
  public Event poll(Duration timeout) throws InterruptedException {
    Event e = nextReplayed();
    if (e != null || done) {
      return e;
    }
    if (!liveSent) {
      liveSent = true;
      cursor = liveFrom;
      return Event.marker(EventType.LIVE, liveFrom);
    }
    e = nextLive();
    if (e == null && !closed && !done) {
      ring.await(cursor, timeout.toNanos());
      e = nextLive();
    }
    return e;
  }

  /** Consumer thread: true once the replay is taken (the next poll gives the live marker). */
  public boolean replayDone() {
    return replayed >= replay.size();
  }

  private Event nextReplayed() {
    List<Event> r = replay;
    while (replayed < r.size()) {
      Event e = r.get(replayed++);
      if (filter.accepts(e)) {
        return e;
      }
    }
    return null;
  }

  private Event nextLive() {
    LiveRing r = ring;
    while (!closed && !done && cursor < r.head()) {
      Event e = r.get(cursor + 1);
      if (e == null || r.head() - cursor > capacity) {
        done = true;
        closed = true;
        return Event.marker(EventType.LAGGED, cursor);
      }
      cursor++;
      if (filter.accepts(e)) {
        return e;
      }
    }
    return null;
  }

  /** Consumer thread: true once closed (or lagged) and nothing more will come. */
  public boolean isDrained() {
    return closed && (done || liveSent);
  }

  /** Stops delivery and wakes a consumer waiting in {@link #poll}, which then returns null. */
  public void close() {
    closed = true;
    wake();
  }

  public boolean isClosed() {
    return closed;
  }

  /** Wakes this subscriber's consumer if it is waiting (every waiter wakes; they re-check). */
  private void wake() {
    LiveRing r = ring;
    if (r != null) {
      r.wakeAll();
    }
  }
}
