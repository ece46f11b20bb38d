package dev.corral.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The monitor-to-loop hop of an exit on an idle daemon: one task published to a Disruptor ring
 * whose consumer has been idle for {@code idleMicros}, timed until the consumer runs it (the
 * benchmark thread spins for the acknowledgement, so only the hop is measured), for each wait
 * strategy the loop could use. At tear-down the consumer's CPU time over one idle second is
 * printed: what the strategy costs a daemon that has nothing to do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RingHopBench {
  @Param({"blocking", "lite", "liteTimeout", "spinThenBlock"})
  String strategy;

  @Param({"2000"})
  int idleMicros;

  static final class Slot {
    long value;
  }

  private Disruptor<Slot> disruptor;
  private RingBuffer<Slot> ring;
  private volatile long done = -1; // written by the consumer
  private volatile long consumerTid; // written by the consumer
  private long seq; // benchmark thread

  @Setup(Level.Trial)
  public void setUp() {
    disruptor =
        new Disruptor<>(Slot::new, 1024, r -> new Thread(r, "hop"), ProducerType.MULTI, of());
    disruptor.handleEventsWith(
        (slot, s, end) -> {
          consumerTid = Thread.currentThread().getId();
          done = slot.value;
        });
    ring = disruptor.start();
  }

  private WaitStrategy of() {
    return switch (strategy) {
      case "blocking" -> new BlockingWaitStrategy();
      case "lite" -> new LiteBlockingWaitStrategy();
      case "liteTimeout" -> new LiteTimeoutBlockingWaitStrategy(100, TimeUnit.MILLISECONDS);
      case "spinThenBlock" ->
          new PhasedBackoffWaitStrategy(
              50, 100, TimeUnit.MICROSECONDS, new LiteBlockingWaitStrategy());
      default -> throw new IllegalArgumentException(strategy);
    };
  }

  @Setup(Level.Invocation)
  public void idle() {
    LockSupport.parkNanos(idleMicros * 1000L); // the consumer goes back to its wait
  }

  @Benchmark
  public long hop() {
    long v = ++seq;
    ring.publishEvent((slot, s, x) -> slot.value = x, v);
    while (done != v) {
      Thread.onSpinWait();
    }
    return v;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    var threads = ManagementFactory.getThreadMXBean();
    long before = threads.getThreadCpuTime(consumerTid);
    Thread.sleep(1000);
    long after = threads.getThreadCpuTime(consumerTid);
    System.out.printf(
        "%n%s: consumer CPU over 1 s idle: %.3f ms%n", strategy, (after - before) / 1e6);
    disruptor.shutdown();
  }
}
