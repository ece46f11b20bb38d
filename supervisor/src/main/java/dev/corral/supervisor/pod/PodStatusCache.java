package dev.corral.supervisor.pod;

import dev.corral.supervisor.thread.LoopGuard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods' statuses as the loop last composed them, and the clients long-polling for a newer one
 * ({@code GET /v1/pods/{uid}/status?newerThan=T}). kubelet's {@code GetNewerThan} semantics: a wait
 * is answered as soon as the pod's status changed after T, or the global timestamp passed T.
 *
 * <p>Times. Every change ({@link #put} with a different status, {@link #remove}) gets a stamp in
 * unix nanoseconds, {@code max(wall clock, last stamp + 1)}: strictly increasing, so no two changes
 * share a time and a client that sends back the timestamp it got never misses the next one. The
 * global timestamp G says "every status here is good as of G": only {@link #tick} moves it (call it
 * when the loop has just confirmed every pod's status, as kubelet's relist does; never from a timer
 * with the wall clock, which would answer every wait at once). A change does not move G, so a
 * change answers only the waiters of its own pod. The timestamp a status is served with is the
 * later of its stamp and G, and a wait with that timestamp as T waits for the next change.
 *
 * <p>Waiting costs memory only: a waiter is one small object in two ordered sets (its pod's, by T;
 * the deadlines', by deadline), and nothing runs for it until its pod changes, G passes its T, or
 * {@link #expire} finds its deadline past. Deadlines are on the caller's monotonic clock ({@code
 * System.nanoTime()}), the same for {@link #await}, {@link #expire} and {@link #nextDeadline}; the
 * integrator schedules an {@code expire} at {@code nextDeadline()} (the loop's timer, {@code
 * Delays}), since this class owns no timer.
 *
 * <p>Callbacks run on the loop thread, inside the call that answers them, after the waiter has left
 * every set (so a callback may call back in); they must be quick and not block ({@code
 * Reply::complete} fits). One that throws is logged and the others still run.
 *
 * <p>The status type {@code S} is opaque here: an immutable value with a meaningful {@code equals}
 * (a record), which {@link #put} uses to tell a change from a repeat.
 *
 * <p>Confined to the supervisor loop thread; every method but the constructor asserts it.
 */
public final class PodStatusCache<S> {
  private static final Logger log = LoggerFactory.getLogger(PodStatusCache.class);
  private static final Comparator<Waiter<?>> BY_NEWER_THAN =
      Comparator.<Waiter<?>>comparingLong(w -> w.newerThan).thenComparingLong(w -> w.seq);
  private static final Comparator<Waiter<?>> BY_DEADLINE =
      Comparator.<Waiter<?>>comparingLong(w -> w.deadline).thenComparingLong(w -> w.seq);

  private final LoopGuard guard;
  private final LongSupplier wallClockNanos; // called on the loop thread
  private final Map<String, Entry<S>> entries = new HashMap<>(); // loop thread
  private final Map<String, TreeSet<Waiter<S>>> waiting = new HashMap<>(); // loop thread
  private final TreeSet<Waiter<S>> byDeadline = new TreeSet<>(BY_DEADLINE); // loop thread
  private long global = Long.MIN_VALUE; // loop thread; MIN_VALUE: never ticked
  private long lastStamp = Long.MIN_VALUE; // loop thread; at least global
  private long seq; // loop thread

  /** A cache stamping changes with the system clock. */
  public PodStatusCache(LoopGuard guard) {
    this(guard, PodStatusCache::systemNanos);
  }

  /** A cache stamping changes with {@code wallClockNanos}, unix nanoseconds (tests fake it). */
  public PodStatusCache(LoopGuard guard, LongSupplier wallClockNanos) {
    this.guard = guard;
    this.wallClockNanos = wallClockNanos;
  }

  /**
   * Records {@code status} as the pod's current one and answers its waiters it is newer for. A
   * status equal to the cached one is no change: it keeps its stamp and wakes nobody.
   *
   * @return the stamp of the pod's status
   */
  public long put(String uid, S status) {
    assert guard.inLoop();
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(status, "status");
    Entry<S> old = entries.get(uid);
    if (old != null && old.status.equals(status)) {
      return old.modified;
    }
    long stamp = nextStamp();
    Entry<S> now = new Entry<>(status, stamp);
    entries.put(uid, now);
    List<Waiter<S>> done = takeWaiters(uid, stamp);
    answer(done, StatusAnswer.Outcome.NEWER, now.status, served(now));
    return stamp;
  }

  /**
   * Forgets the pod and answers all its waiters {@code GONE} with its last status.
   *
   * @return whether the pod was cached
   */
  public boolean remove(String uid) {
    assert guard.inLoop();
    Entry<S> old = entries.remove(uid);
    if (old == null) {
      return false;
    }
    long stamp = nextStamp();
    answer(takeWaiters(uid, Long.MAX_VALUE), StatusAnswer.Outcome.GONE, old.status, stamp);
    return true;
  }

  /** The pod's status and the time it is good as of, or null when the cache has no such pod. */
  public StampedStatus<S> get(String uid) {
    assert guard.inLoop();
    Entry<S> e = entries.get(uid);
    return e == null ? null : new StampedStatus<>(e.status, served(e));
  }

  /**
   * Answers {@code callback} at once when the pod's status is newer than {@code newerThan} (its
   * stamp or the global timestamp is later), or {@code GONE} when there is no such pod; else keeps
   * it until the status changes ({@code NEWER}), G passes {@code newerThan} ({@code NEWER}), the
   * pod is removed ({@code GONE}) or {@link #expire} reaches {@code deadline} ({@code
   * NOT_MODIFIED}).
   *
   * @param newerThan unix nanoseconds, as the client sent it
   * @param deadline on the caller's monotonic clock
   */
  public void await(String uid, long newerThan, long deadline, Consumer<StatusAnswer<S>> callback) {
    assert guard.inLoop();
    Objects.requireNonNull(callback, "callback");
    Entry<S> e = entries.get(uid);
    if (e == null) {
      call(callback, new StatusAnswer<>(StatusAnswer.Outcome.GONE, null, lastStamp));
      return;
    }
    if (served(e) > newerThan) {
      call(callback, new StatusAnswer<>(StatusAnswer.Outcome.NEWER, e.status, served(e)));
      return;
    }
    Waiter<S> w = new Waiter<>(uid, newerThan, deadline, seq++, callback);
    waiting.computeIfAbsent(uid, u -> new TreeSet<>(BY_NEWER_THAN)).add(w);
    byDeadline.add(w);
  }

  /**
   * Moves the global timestamp to {@code unixNanos} (never back) and answers every waiter whose
   * {@code newerThan} it passed.
   */
  public void tick(long unixNanos) {
    assert guard.inLoop();
    if (unixNanos <= global) {
      return;
    }
    global = unixNanos;
    lastStamp = Math.max(lastStamp, global);
    List<String> uids = new ArrayList<>();
    for (Map.Entry<String, TreeSet<Waiter<S>>> w : waiting.entrySet()) {
      if (w.getValue().first().newerThan < global) {
        uids.add(w.getKey());
      }
    }
    // every waiter leaves the sets before the first callback runs: a callback may change a pod
    List<Runnable> answers = new ArrayList<>();
    for (String uid : uids) {
      Entry<S> e = entries.get(uid);
      List<Waiter<S>> done = takeWaiters(uid, global);
      long timestamp = served(e);
      answers.add(() -> answer(done, StatusAnswer.Outcome.NEWER, e.status, timestamp));
    }
    answers.forEach(Runnable::run);
  }

  /**
   * Answers {@code NOT_MODIFIED} to every waiter whose deadline is at or before {@code now}, in
   * deadline order.
   *
   * @return how many were answered
   */
  public int expire(long now) {
    assert guard.inLoop();
    int n = 0;
    while (!byDeadline.isEmpty() && byDeadline.first().deadline <= now) {
      Waiter<S> w = byDeadline.pollFirst();
      TreeSet<Waiter<S>> ofPod = waiting.get(w.uid);
      ofPod.remove(w);
      if (ofPod.isEmpty()) {
        waiting.remove(w.uid);
      }
      Entry<S> e = entries.get(w.uid);
      call(w.callback, new StatusAnswer<>(StatusAnswer.Outcome.NOT_MODIFIED, e.status, served(e)));
      n++;
    }
    return n;
  }

  /** The earliest deadline of a waiter, for the integrator's next {@link #expire}. */
  public OptionalLong nextDeadline() {
    assert guard.inLoop();
    return byDeadline.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(byDeadline.first().deadline);
  }

  /** How many waiters wait. */
  public int waiters() {
    assert guard.inLoop();
    return byDeadline.size();
  }

  /** The global timestamp; {@code Long.MIN_VALUE} before the first {@link #tick}. */
  public long globalTimestamp() {
    assert guard.inLoop();
    return global;
  }

  private long nextStamp() {
    lastStamp = Math.max(wallClockNanos.getAsLong(), lastStamp + 1);
    return lastStamp;
  }

  private long served(Entry<S> e) {
    return Math.max(e.modified, global);
  }

  /** Takes the pod's waiters whose newerThan is below {@code bound} out of both sets. */
  private List<Waiter<S>> takeWaiters(String uid, long bound) {
    TreeSet<Waiter<S>> ofPod = waiting.get(uid);
    List<Waiter<S>> out = new ArrayList<>();
    if (ofPod == null) {
      return out;
    }
    for (Iterator<Waiter<S>> it = ofPod.iterator(); it.hasNext(); ) {
      Waiter<S> w = it.next();
      if (w.newerThan >= bound) {
        break;
      }
      it.remove();
      byDeadline.remove(w);
      out.add(w);
    }
    if (ofPod.isEmpty()) {
      waiting.remove(uid);
    }
    return out;
  }

  private void answer(
      List<Waiter<S>> done, StatusAnswer.Outcome outcome, S status, long timestamp) {
    if (done.isEmpty()) {
      return;
    }
    StatusAnswer<S> a = new StatusAnswer<>(outcome, status, timestamp);
    for (Waiter<S> w : done) {
      call(w.callback, a);
    }
  }

  private void call(Consumer<StatusAnswer<S>> callback, StatusAnswer<S> a) {
    try {
      callback.accept(a);
    } catch (RuntimeException e) {
      // one broken waiter must not leave the others of the same change unanswered
      log.error("pod status waiter failed on {}", a.outcome(), e);
    }
  }

  private static long systemNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private record Entry<S>(S status, long modified) {}

  /** One long-poll; 48 bytes or so, plus its place in two trees. */
  private record Waiter<S>(
      String uid, long newerThan, long deadline, long seq, Consumer<StatusAnswer<S>> callback) {}
}
