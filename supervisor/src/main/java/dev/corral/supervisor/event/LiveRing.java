package dev.corral.supervisor.event;

import java.util.concurrent.TimeUnit;

/**
 * The events in memory: a power-of-two array indexed by seq, written by the loop and read by every
 * subscriber's own thread. It is both the replay store (the newest {@code --events-retain}) and the
 * live buffer every subscriber reads from at its own pace, so fanning an event out costs the loop
 * one array store, whatever the number of subscribers.
 *
 * <p>Thread contract: {@link #put}, {@link #publish} and {@link #restore} on the loop thread; the
 * rest from any thread. The loop stores a slot before it publishes the head (a volatile write), so
 * a reader that reads the head and then a slot at or below it sees that event or a newer one that
 * overwrote it (events are immutable records, safe to read through a race); readers check the seq.
 */
final class LiveRing {
  private final Event[] slots; // written by the loop; read by subscribers (see class doc)
  private final int mask;
  private final Object signal = new Object(); // subscribers wait on it; the loop notifies
  private volatile long head; // last published seq; written by the loop
  private volatile int waiting; // subscribers in wait(); changed under signal, read by the loop

  LiveRing(int minCapacity) {
    int size = Integer.highestOneBit(Math.max(2, minCapacity) - 1) << 1;
    this.slots = new Event[size];
    this.mask = size - 1;
  }

  int capacity() {
    return slots.length;
  }

  /** Loop: stores an event, not yet visible to subscribers. */
  void put(Event e) {
    slots[(int) (e.seq() & mask)] = e;
  }

  /** Loop, at start: the head restored from the journal, with no wake-up. */
  void restore(long seq) {
    head = seq;
  }

  /** Loop: makes every event up to {@code seq} visible and wakes the waiting subscribers. */
  void publish(long seq) {
    head = seq;
    // Dekker pairing with await(): the loop writes head then reads waiting; a subscriber
    // writes waiting then reads head. One of them sees the other, so no wake-up is lost.
    if (waiting > 0) {
      synchronized (signal) {
        signal.notifyAll();
      }
    }
  }

  long head() {
    return head;
  }

  /** The event with {@code seq}, or null when it was overwritten or never stored. */
  Event get(long seq) {
    Event e = slots[(int) (seq & mask)];
    return e != null && e.seq() == seq ? e : null;
  }

  /** Subscriber: waits until the head moves past {@code seen}, a wake-up, or the timeout. */
  void await(long seen, long timeoutNanos) throws InterruptedException {
    synchronized (signal) {
      waiting++;
      try {
        if (head == seen && timeoutNanos > 0) {
          TimeUnit.NANOSECONDS.timedWait(signal, timeoutNanos);
        }
      } finally {
        waiting--;
      }
    }
  }

  /** Wakes every waiting subscriber (one was closed and must notice). */
  void wakeAll() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }
}
