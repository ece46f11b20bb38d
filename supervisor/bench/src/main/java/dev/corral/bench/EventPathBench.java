package dev.corral.bench;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventFilter;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventSink;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.event.JournalSink;
import dev.corral.supervisor.event.Subscriber;
import dev.corral.supervisor.thread.LoopGuard;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The loop's side of the event path: emit (number, timestamp, journal append, ring store) and the
 * end-of-batch hook (one journal write(2), publish, wake the waiting subscribers), with 1, 10 or
 * 100 subscribers draining on their own threads. The benchmark thread is the loop. Reported per
 * event: {@code batch1} ends a batch after every event (an idle daemon: one task per batch), {@code
 * batch64} after 64 (a busy one). Events/s = 1e9 / (ns per event).
 *
 * <p>Publishing flat out, subscribers on shared cores fall behind and lag. So that the loop keeps
 * fanning out to N live subscribers (and keeps paying for their wake-ups), a lagged subscriber's
 * thread asks for a new subscription, which the loop makes (live, no replay) at its next batch, as
 * a resuming client would. Received, lagged and re-subscribed counts are printed at tear-down.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventPathBench {
  @Param({"1", "10", "100"})
  int subscribers;

  @Param({"journal", "memory"})
  String sink;

  private final LoopGuard guard = new LoopGuard();
  private EventLog log;
  private Path dir;
  private final List<Thread> consumers = new ArrayList<>();
  private final ConcurrentLinkedQueue<Drainer> lost = new ConcurrentLinkedQueue<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong lagged = new AtomicLong();
  private volatile boolean running;
  private long cpuAtStart; // benchmark thread

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    guard.bindToCurrentThread(); // JMH runs a thread-scoped setup on the benchmark thread
    dir = Files.createTempDirectory(Path.of("/var/tmp"), "corral-bench-events");
    EventSink s = sink.equals("journal") ? JournalSink.open(dir, 10_000) : EventSink.NONE;
    log = new EventLog(guard, Clock.systemUTC(), s, List.of(), 10_000, 4096, n -> {});
    running = true;
    cpuAtStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    for (int i = 0; i < subscribers; i++) {
      Drainer d = new Drainer();
      resubscribe(d);
      Thread t = new Thread(d, "bench-subscriber-" + i);
      t.setDaemon(true);
      t.start();
      consumers.add(t);
    }
  }

  private void resubscribe(Drainer d) {
    Subscriber sub = new Subscriber(EventFilter.ALL, 4096);
    log.subscribe(sub);
    d.sub = sub;
  }

  /** Loop: new subscriptions for the subscribers that lagged. */
  private void replaceLost() {
    for (Drainer d; (d = lost.poll()) != null; ) {
      resubscribe(d);
    }
  }

  /** One subscriber's own thread. */
  private final class Drainer implements Runnable {
    volatile Subscriber sub; // set by the loop; cleared by this thread when it lags

    @Override
    public void run() {
      try {
        while (running) {
          Subscriber s = sub;
          if (s == null) {
            LockSupport.parkNanos(100_000);
            continue;
          }
          Event e = s.poll(Duration.ofMillis(100));
          if (e != null && e.type() == EventType.LAGGED) {
            lagged.incrementAndGet();
            sub = null;
            lost.add(this);
          } else if (e != null) {
            received.incrementAndGet();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Benchmark
  public Event batch1() {
    Event e = log.emit(EventType.EXIT, ContainerRef.of("bench"), "init", 0);
    log.endOfBatch();
    replaceLost();
    return e;
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public Event batch64() {
    Event e = null;
    for (int i = 0; i < 64; i++) {
      e = log.emit(EventType.EXIT, ContainerRef.of("bench"), "init", i);
    }
    log.endOfBatch();
    replaceLost();
    return e;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtStart;
    running = false;
    for (Thread t : consumers) {
      t.join(2000);
    }
    log.close();
    System.out.printf(
        "%n[events] %s, %d subscribers: emitted %d; loop CPU %.0f ns/event; subscribers received"
            + " %d events in all; %d lags (each re-subscribed live)%n",
        sink,
        subscribers,
        log.lastSeq(),
        (double) cpu / log.lastSeq(),
        received.get(),
        lagged.get());
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
