package dev.corral.supervisor.event;

import dev.corral.core.ContainerRef;
import dev.corral.state.JournalDamage;
import dev.corral.supervisor.thread.LoopGuard;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers the loop's state changes, journals them, keeps the newest {@code retain} in memory for
 * replay, and makes them visible to subscribers once per ring batch, after the journal write: a
 * client can never be shown a seq that a crash of the daemon would hand out again.
 *
 * <p>Seq continues after the journal's high-water mark, so it is never handed out twice. It is
 * gap-free except where the journal lost events; each such gap is reported by a {@code
 * journal-damaged} event naming the lost range (found at start, or after a full disk), so a client
 * never misses a seq silently. Timestamps are the clock's (nanoseconds on Linux with JDK 17),
 * forced strictly increasing, also across restarts (one nanosecond past the previous event when the
 * clock stands still or steps back), so {@code since=T} cuts the sequence at one exact place.
 *
 * <p>Confined to the supervisor loop thread (asserted); subscribers read the {@link LiveRing}.
 */
public final class EventLog {
  private static final Logger log = LoggerFactory.getLogger(EventLog.class);

  private final LoopGuard guard;
  private final Clock clock;
  private final EventSink sink;
  private final int retain;
  private final LiveRing ring;
  private final Map<Long, Subscriber> subscribers = new HashMap<>(); // loop thread
  private final ArrayDeque<Runnable> afterPublish = new ArrayDeque<>(); // loop thread
  private final IntConsumer subscriberCount; // called on the loop with the new count
  private long lastSeq; // loop thread: last seq handed out
  private long firstSeq; // loop thread: oldest seq held in the ring
  private Instant lastTimestamp = Instant.EPOCH; // loop thread
  private Function<ContainerRef, String> podOf = id -> null; // loop thread; set once by the loop
  private Consumer<Event> onEmit = e -> {}; // loop thread; set once by the loop

  /**
   * @param restored the newest retained events from the journal, oldest first
   * @param retain how many events to keep for replay
   * @param buffer how far (in events) a subscriber may fall behind before it lags
   * @param subscriberCount told the subscriber count whenever it changes (a metric)
   */
  public EventLog(
      LoopGuard guard,
      Clock clock,
      EventSink sink,
      List<Event> restored,
      int retain,
      int buffer,
      IntConsumer subscriberCount) {
    this.guard = guard;
    this.clock = clock;
    this.sink = sink;
    this.retain = retain;
    this.subscriberCount = subscriberCount;
    this.ring = new LiveRing(Math.max(retain, buffer) + 1);
    for (Event e : restored.subList(Math.max(0, restored.size() - retain), restored.size())) {
      ring.put(e);
      firstSeq = firstSeq == 0 ? e.seq() : firstSeq;
      lastSeq = e.seq();
      lastTimestamp = e.timestamp();
    }
    firstSeq = firstSeq == 0 ? 1 : firstSeq;
    lastSeq = Math.max(lastSeq, sink.lastSeq());
    ring.restore(lastSeq);
    // Before the loop runs (this thread starts it): published with the first batch.
    reportDamage();
  }

  /** A log with no journal, starting at seq 1 (tests). */
  public EventLog(LoopGuard guard, Clock clock, int retain, int buffer) {
    this(guard, clock, EventSink.NONE, List.of(), retain, buffer, n -> {});
  }

  /**
   * Wires the loop in: {@code podOf} names the pod of a container (null: none), so its events carry
   * it; {@code onEmit} is told of every event as it is recorded (the pods' status cache). Both are
   * called on the loop thread and must be quick. Call once, before the loop runs (its thread's
   * start publishes both).
   */
  public void attach(Function<ContainerRef, String> podOf, Consumer<Event> onEmit) {
    this.podOf = podOf;
    this.onEmit = onEmit;
  }

  /** Records an event of pod {@code uid} in {@code namespace} (no container id). */
  public Event emitPod(EventType type, String namespace, String uid, String reason) {
    assert guard.inLoop();
    Event e =
        new Event(++lastSeq, timestamp(), type, null, null, null, reason, null, namespace, uid);
    append(e);
    return e;
  }

  /** Records an event; subscribers see it at the end of the ring batch. Returns it. */
  public Event emit(EventType type, ContainerRef id, String pid, Integer status) {
    return emit(type, id, pid, status, null);
  }

  /** As {@link #emit(EventType, ContainerRef, String, Integer)}, saying why (null: no reason). */
  public Event emit(EventType type, ContainerRef id, String pid, Integer status, String reason) {
    assert guard.inLoop();
    return record(type, id, pid, status, reason, null);
  }

  private Event record(
      EventType type, ContainerRef id, String pid, Integer status, String reason, Event.Lost lost) {
    Event e =
        new Event(
            ++lastSeq,
            timestamp(),
            type,
            id == null ? null : id.id(),
            pid,
            status,
            reason,
            lost,
            id == null ? null : id.namespace(),
            id == null ? null : podOf.apply(id));
    append(e);
    return e;
  }

  private void append(Event e) {
    sink.append(e);
    ring.put(e);
    onEmit.accept(e);
  }

  /** One {@code journal-damaged} event per damage the sink reports; true when there was any. */
  private boolean reportDamage() {
    List<JournalDamage> damage = sink.takeDamage();
    for (JournalDamage d : damage) {
      Event.Lost lost = d.firstLost() == null ? null : new Event.Lost(d.firstLost(), d.lastLost());
      record(EventType.JOURNAL_DAMAGED, null, null, null, d.reason(), lost);
    }
    return !damage.isEmpty();
  }

  private Instant timestamp() {
    Instant now = clock.instant();
    lastTimestamp = now.isAfter(lastTimestamp) ? now : lastTimestamp.plusNanos(1);
    return lastTimestamp;
  }

  /**
   * End of a ring batch: one journal write for the batch's events (after any that still wait for
   * disk space: a batch is also their retry), then they become visible and waiting subscribers are
   * woken (once per batch, not per event). Events that could not be journaled are shown all the
   * same: their seqs are above the journal's high-water mark, so they are never reused.
   */
  public void endOfBatch() {
    assert guard.inLoop();
    if (ring.head() != lastSeq || sink.unjournaled() != 0) {
      sink.flush();
      if (reportDamage()) {
        sink.flush();
      }
      ring.publish(lastSeq);
    }
    for (Runnable r; (r = afterPublish.poll()) != null; ) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.error("work after an event batch failed", e);
      }
    }
  }

  /**
   * Loop: runs {@code r} at the end of this batch, once its events are visible and the waiting
   * subscribers woken: for what need not delay them (a log line costs a write(2), and more when the
   * log is a file on a busy disk).
   */
  public void afterPublish(Runnable r) {
    assert guard.inLoop();
    afterPublish.add(r);
  }

  /** Events handed out but not yet journaled (the disk is full); any thread. */
  public long unjournaled() {
    return sink.unjournaled();
  }

  /**
   * Registers {@code s} in one step with its replay snapshot: every retained event after its start
   * up to the last one, then live delivery from the next. No gap, no duplicate at the seam.
   */
  public void subscribe(Subscriber s) {
    assert guard.inLoop();
    endOfBatch(); // events of this batch are journaled and visible before the snapshot
    s.start(ring, replay(s.from()), lastSeq);
    subscribers.put(s.id(), s);
    subscriberCount.accept(subscribers.size());
  }

  private List<Event> replay(Start from) {
    if (!from.replays()) {
      return List.of();
    }
    long lo = Math.max(firstSeq, lastSeq - retain + 1);
    long start = from.since() != null ? firstAfter(from.since(), lo) : from.afterSeq() + 1;
    start = Math.max(start, lo);
    if (start > lastSeq) {
      return List.of();
    }
    List<Event> out = new ArrayList<>((int) (lastSeq - start + 1));
    for (long s = start; s <= lastSeq; s++) {
      Event e = ring.get(s);
      if (e != null) { // a seq the journal lost (a journal-damaged event names it)
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Where a replay since {@code t} starts in [lo, lastSeq] (lastSeq + 1 if nowhere): no retained
   * event before it is later than {@code t}. A binary search that steps over lost seqs.
   */
  private long firstAfter(Instant t, long lo) {
    long a = lo;
    long b = lastSeq + 1;
    while (a < b) {
      long mid = (a + b) >>> 1;
      Event e = presentFrom(mid, b);
      if (e == null || e.timestamp().isAfter(t)) {
        b = mid; // every event from mid on is later than t
      } else {
        a = e.seq() + 1;
      }
    }
    return a;
  }

  /** The first event held in [from, to), or null. */
  private Event presentFrom(long from, long to) {
    for (long s = from; s < to; s++) {
      Event e = ring.get(s);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  /**
   * Loop: every retained event, oldest first; at start these are what the last daemon reported
   * (recovery uses them to report each exit exactly once).
   */
  public List<Event> retained() {
    assert guard.inLoop();
    return replay(Start.after(0));
  }

  /** Drops a subscriber (its client went away) and wakes its consumer so it stops. */
  public void unsubscribe(long subscriberId) {
    assert guard.inLoop();
    Subscriber s = subscribers.remove(subscriberId);
    if (s != null) {
      s.close();
      subscriberCount.accept(subscribers.size());
    }
  }

  public int subscriberCount() {
    assert guard.inLoop();
    return subscribers.size();
  }

  public long lastSeq() {
    assert guard.inLoop();
    return lastSeq;
  }

  /** Loop, last: the journal is flushed and closed. */
  public void close() {
    assert guard.inLoop();
    endOfBatch();
    sink.close();
  }
}
