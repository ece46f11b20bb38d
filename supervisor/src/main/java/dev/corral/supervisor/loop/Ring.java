package dev.corral.supervisor.loop;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import dev.corral.supervisor.task.Command;
import dev.corral.supervisor.task.Notification;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.Task;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multi-producer Disruptor ring in front of the loop. API threads {@link #submit} commands and
 * are refused (unavailable) when it is full, never blocked; the monitor and the workers {@link
 * #publish} notifications and wait for room (their facts must not be lost). The consumer is one
 * named thread, "corral-loop", which binds the {@link LoopGuard} when it starts. The blocking wait
 * strategy keeps an idle daemon off the CPU.
 *
 * <p>Thread-safe for producers; the loop itself must never publish (asserted).
 */
public final class Ring implements Notifier {
  private static final Logger log = LoggerFactory.getLogger(Ring.class);

  /** One ring slot; cleared after the loop handles it so no task outlives its turn. */
  static final class Slot {
    Task task; // written by one producer, then read by the loop (ordered by the sequence)
    long publishedNanos;
  }

  private final Disruptor<Slot> disruptor;
  private final RingBuffer<Slot> ring;
  private final LoopGuard guard;
  private final MetricCatalog metrics;

  public Ring(int size, LoopGuard guard, MetricCatalog metrics) {
    this.guard = guard;
    this.metrics = metrics;
    this.disruptor =
        new Disruptor<>(
            Slot::new,
            size,
            r -> new Thread(r, "corral-loop"),
            ProducerType.MULTI,
            new BlockingWaitStrategy());
    disruptor.setDefaultExceptionHandler(new LogAndContinue());
    this.ring = disruptor.getRingBuffer();
  }

  /** Attaches the loop as the ring's one consumer and starts its thread. */
  public void start(EventLoop loop) {
    disruptor.handleEventsWith(new Consumer(guard, loop, metrics));
    disruptor.start();
  }

  /**
   * Publishes a client's command without blocking.
   *
   * @throws CorralException unavailable when the ring is full
   */
  public void submit(Command c) {
    assert !guard.inLoop() : "the loop must not submit to its own ring";
    if (!ring.tryPublishEvent(Ring::fill, c)) {
      metrics.ringFull.inc();
      throw CorralException.unavailable("supervisor busy: task queue full; retry later");
    }
  }

  /** Publishes a fact, waiting for room when the ring is full. */
  @Override
  public void publish(Notification n) {
    assert !guard.inLoop() : "the loop must not publish to its own ring";
    ring.publishEvent(Ring::fill, n);
  }

  /** Publishes a fact only if there is room; false when the ring is full. */
  public boolean tryPublish(Notification n) {
    assert !guard.inLoop() : "the loop must not publish to its own ring";
    return ring.tryPublishEvent(Ring::fill, n);
  }

  public long remainingCapacity() {
    return ring.remainingCapacity();
  }

  private static void fill(Slot slot, long seq, Task t) {
    slot.task = t;
    slot.publishedNanos = System.nanoTime();
  }

  /** Lets the loop finish what is queued (up to {@code millis}), then stops it. */
  public void shutdown(long millis) {
    try {
      disruptor.shutdown(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("loop did not drain within {} ms; halting it", millis);
      disruptor.halt();
    }
  }

  private static final class Consumer implements EventHandler<Slot> {
    private final LoopGuard guard;
    private final EventLoop loop;
    private final MetricCatalog metrics;

    Consumer(LoopGuard guard, EventLoop loop, MetricCatalog metrics) {
      this.guard = guard;
      this.loop = loop;
      this.metrics = metrics;
    }

    @Override
    public void onStart() {
      guard.bindToCurrentThread();
    }

    @Override
    public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
      long start = System.nanoTime();
      metrics.ringWait.update(start - slot.publishedNanos, TimeUnit.NANOSECONDS);
      Task t = slot.task;
      slot.task = null;
      loop.handle(t);
      if (endOfBatch) {
        loop.endOfBatch();
      }
      metrics.taskHandle.update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onShutdown() {
      loop.shutdown();
    }
  }

  /**
   * EventLoop.handle never throws, so anything reaching here is an Error escaping a handler: log it
   * and keep the loop alive, unlike the Disruptor's default handler, which stops it.
   */
  private static final class LogAndContinue implements ExceptionHandler<Slot> {
    @Override
    public void handleEventException(Throwable ex, long sequence, Slot slot) {
      log.error("loop: uncaught failure at seq {}", sequence, ex);
    }

    @Override
    public void handleOnStartException(Throwable ex) {
      log.error("loop: start failed", ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
      log.error("loop: shutdown failed", ex);
    }
  }
}
