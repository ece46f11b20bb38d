package dev.corral.api;

import dev.corral.core.CorralException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the streams that each hold a request thread for as long as they run ({@code GET /v1/events},
 * {@code logs?follow=1}, {@code stats?stream=1}). Without a cap, enough of them would take every
 * thread of the API's pool, and corrald would stop answering pings, creates and kills while looking
 * alive. The pool is sized as the cap plus {@link #RESERVED_THREADS}, so short requests always find
 * a thread. A stream past the cap is refused with 503 naming the limit.
 *
 * <p>Thread-safe.
 */
final class StreamSlots {
  /** Request threads kept for everything but streams (and Jetty's own acceptor and selector). */
  static final int RESERVED_THREADS = 56;

  /** The default {@code --max-streams}: with the reserve, a pool of 256 threads. */
  static final int DEFAULT_MAX = 200;

  private final int max;
  private final Semaphore free;

  StreamSlots(int max) {
    if (max < 1) {
      throw CorralException.invalidArgument("max-streams: %d is not a positive number", max);
    }
    this.max = max;
    this.free = new Semaphore(max);
  }

  /** Request threads the API's pool needs: the streams plus the reserve. */
  int poolSize() {
    return max + RESERVED_THREADS;
  }

  /**
   * Takes a slot for a stream; close the slot when the stream ends.
   *
   * @throws CorralException unavailable (503) when {@code max} streams are open
   */
  Slot open() {
    if (!free.tryAcquire()) {
      throw CorralException.unavailable(
          "too many open streams (the --max-streams limit is %d): close one, or raise the limit",
          max);
    }
    return new Slot();
  }

  /** Streams open now. */
  int inUse() {
    return max - free.availablePermits();
  }

  /** One open stream; closing it twice frees one slot only. */
  final class Slot implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();

    private Slot() {}

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        free.release();
      }
    }
  }
}
