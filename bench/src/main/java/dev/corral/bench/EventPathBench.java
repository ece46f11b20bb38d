package dev.corral.bench;

import dev.corral.supervisor.LoopGuard;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventFilter;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventSink;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.event.JournalSink;
import dev.corral.supervisor.event.Subscriber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Each subscriber thread counts what it got and whether it lagged; the counts are printed at
 * tear-down, so a result where every subscriber lagged is visible as such.
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
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong lagged = new AtomicLong();
  private volatile boolean running;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    guard.bindToCurrentThread(); // JMH runs a thread-scoped setup on the benchmark thread
    dir = Files.createTempDirectory(Path.of("/var/tmp"), "corral-bench-events");
    EventSink s = sink.equals("journal") ? JournalSink.open(dir, 10_000) : EventSink.NONE;
    log = new EventLog(guard, Clock.systemUTC(), s, List.of(), 10_000, 4096, n -> {});
    running = true;
    for (int i = 0; i < subscribers; i++) {
      Subscriber sub = new Subscriber(EventFilter.ALL, 4096);
      log.subscribe(sub);
      Thread t = new Thread(() -> drain(sub), "bench-subscriber-" + i);
      t.setDaemon(true);
      t.start();
      consumers.add(t);
    }
  }

  private void drain(Subscriber sub) {
    try {
      while (running) {
        Event e = sub.poll(Duration.ofMillis(100));
        if (e == null) {
          continue;
        }
        if (e.type() == EventType.LAGGED) {
          lagged.incrementAndGet();
          return;
        }
        received.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Benchmark
  public Event batch1() {
    Event e = log.emit(EventType.EXIT, "bench", "init", 0);
    log.endOfBatch();
    return e;
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public Event batch64() {
    Event e = null;
    for (int i = 0; i < 64; i++) {
      e = log.emit(EventType.EXIT, "bench", "init", i);
    }
    log.endOfBatch();
    return e;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    running = false;
    for (Thread t : consumers) {
      t.join(2000);
    }
    log.close();
    System.out.printf(
        "%n[events] emitted %d; subscribers %d received %d events; %d of them lagged%n",
        log.lastSeq(), subscribers, received.get(), lagged.get());
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
