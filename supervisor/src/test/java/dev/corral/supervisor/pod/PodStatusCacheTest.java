package dev.corral.supervisor.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.supervisor.pod.StatusAnswer.Outcome;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodStatusCacheTest {
  private final LoopGuard guard = new LoopGuard();
  private long clock = 1_000; // the fake wall clock, unix nanos
  private PodStatusCache<String> cache;

  @BeforeEach
  void bindTheTestThreadAsTheLoop() {
    guard.bindToCurrentThread();
    cache = new PodStatusCache<>(guard, () -> clock);
  }

  /** Collects the answers of the waiters it made. */
  private static final class Answers {
    final List<StatusAnswer<String>> got = new ArrayList<>();

    java.util.function.Consumer<StatusAnswer<String>> waiter() {
      return got::add;
    }

    StatusAnswer<String> only() {
      assertEquals(1, got.size(), got.toString());
      return got.get(0);
    }
  }

  @Test
  void newerThanEqualToTheTimestampWaits() {
    long stamp = cache.put("a", "running");
    assertEquals(new StampedStatus<>("running", stamp), cache.get("a"));
    Answers answers = new Answers();
    cache.await("a", stamp, 10, answers.waiter());
    assertTrue(answers.got.isEmpty());
    assertEquals(1, cache.waiters());
    cache.await("a", stamp - 1, 10, answers.waiter());
    assertEquals(new StatusAnswer<>(Outcome.NEWER, "running", stamp), answers.only());
  }

  @Test
  void aChangeAnswersOnlyThatPodsWaiters() {
    long a1 = cache.put("a", "a1");
    long b1 = cache.put("b", "b1");
    Answers forA = new Answers();
    Answers forB = new Answers();
    cache.await("a", a1, 10, forA.waiter());
    cache.await("a", a1, 20, forA.waiter());
    cache.await("b", b1, 10, forB.waiter());
    clock = 5_000;
    long a2 = cache.put("a", "a2");
    assertEquals(5_000, a2);
    assertEquals(
        List.of(
            new StatusAnswer<>(Outcome.NEWER, "a2", a2),
            new StatusAnswer<>(Outcome.NEWER, "a2", a2)),
        forA.got);
    assertTrue(forB.got.isEmpty());
    assertEquals(1, cache.waiters());
    assertEquals(OptionalLong.of(10), cache.nextDeadline());
  }

  @Test
  void anEqualStatusIsNoChange() {
    long stamp = cache.put("a", "running");
    Answers answers = new Answers();
    cache.await("a", stamp, 10, answers.waiter());
    clock = 9_000;
    assertEquals(stamp, cache.put("a", new String("running")));
    assertTrue(answers.got.isEmpty());
    assertEquals(stamp, cache.get("a").timestamp());
  }

  @Test
  void stampsStrictlyIncreaseWhenTheClockStandsStillOrGoesBack() {
    long s1 = cache.put("a", "1");
    long s2 = cache.put("b", "1");
    clock = 10;
    long s3 = cache.put("a", "2");
    assertTrue(cache.remove("b"));
    long s4 = cache.put("b", "3");
    assertEquals(List.of(1_000L, 1_001L, 1_002L, 1_004L), List.of(s1, s2, s3, s4));
  }

  @Test
  void theGlobalTimestampPassingTAnswersAWaiter() {
    long stamp = cache.put("a", "running");
    Answers at1500 = new Answers();
    Answers at3000 = new Answers();
    cache.await("a", 1_500, 10, at1500.waiter());
    cache.await("a", 3_000, 10, at3000.waiter());
    cache.tick(1_500);
    assertTrue(at1500.got.isEmpty(), "G must pass T, not reach it");
    cache.tick(1_501);
    assertEquals(new StatusAnswer<>(Outcome.NEWER, "running", 1_501), at1500.only());
    assertTrue(at3000.got.isEmpty());
    cache.tick(1_200);
    assertEquals(1_501, cache.globalTimestamp(), "G never goes back");
    assertEquals(new StampedStatus<>("running", 1_501), cache.get("a"));
    assertTrue(stamp < 1_501);
  }

  @Test
  void aWaitWithTheServedTimestampAfterATickWaitsForTheNextChange() {
    cache.put("a", "running");
    cache.tick(2_000);
    long served = cache.get("a").timestamp();
    assertEquals(2_000, served);
    Answers answers = new Answers();
    cache.await("a", served, 10, answers.waiter());
    assertTrue(answers.got.isEmpty());
    clock = 1_500; // behind G: the change is still stamped after it
    long next = cache.put("a", "exited");
    assertEquals(2_001, next);
    assertEquals(new StatusAnswer<>(Outcome.NEWER, "exited", 2_001), answers.only());
  }

  @Test
  void aTimeInTheFutureWaitsForAChangeStampedAfterIt() {
    cache.put("a", "1");
    Answers answers = new Answers();
    cache.await("a", 4_000, 10, answers.waiter());
    cache.put("a", "2");
    assertTrue(answers.got.isEmpty(), "stamped 1001, not newer than 4000");
    clock = 4_001;
    cache.put("a", "3");
    assertEquals(new StatusAnswer<>(Outcome.NEWER, "3", 4_001), answers.only());
  }

  @Test
  void aRemovedPodsWaitersAreAnsweredGoneWithItsLastStatus() {
    long stamp = cache.put("a", "exited");
    cache.put("b", "running");
    Answers forA = new Answers();
    cache.await("a", stamp, 10, forA.waiter());
    cache.await("b", Long.MAX_VALUE, 10, new Answers().waiter());
    assertTrue(cache.remove("a"));
    StatusAnswer<String> gone = forA.only();
    assertEquals(Outcome.GONE, gone.outcome());
    assertEquals("exited", gone.status());
    assertTrue(gone.timestamp() > stamp);
    assertNull(cache.get("a"));
    assertFalse(cache.remove("a"));
    assertEquals(1, cache.waiters(), "b's waiter stays");
  }

  @Test
  void anUnknownPodIsGoneAtOnce() {
    Answers answers = new Answers();
    cache.await("nope", 0, 10, answers.waiter());
    assertEquals(Outcome.GONE, answers.only().outcome());
    assertNull(answers.only().status());
    assertEquals(0, cache.waiters());
  }

  @Test
  void aThousandWaitersExpireInDeadlineOrder() {
    List<String> pods = new ArrayList<>();
    for (int p = 0; p < 10; p++) {
      pods.add("pod-" + p);
      cache.put("pod-" + p, "s" + p);
    }
    List<Long> deadlines = new ArrayList<>();
    for (long d = 1; d <= 1_000; d++) {
      deadlines.add(d * 7);
    }
    Collections.shuffle(deadlines, new Random(42));
    List<Long> order = new ArrayList<>();
    for (int i = 0; i < deadlines.size(); i++) {
      long deadline = deadlines.get(i);
      String pod = pods.get(i % pods.size());
      cache.await(
          pod,
          Long.MAX_VALUE - 1,
          deadline,
          a -> {
            assertEquals(Outcome.NOT_MODIFIED, a.outcome());
            assertEquals("s" + pod.substring(4), a.status());
            order.add(deadline);
          });
    }
    assertEquals(1_000, cache.waiters());
    assertEquals(OptionalLong.of(7), cache.nextDeadline());
    assertEquals(0, cache.expire(6));
    assertEquals(1, cache.expire(7));
    assertEquals(141, cache.expire(1_000)); // 2x7 to 142x7
    assertEquals(OptionalLong.of(1_001), cache.nextDeadline());
    assertEquals(858, cache.expire(Long.MAX_VALUE));
    List<Long> sorted = new ArrayList<>(deadlines);
    Collections.sort(sorted);
    assertEquals(sorted, order);
    assertEquals(0, cache.waiters());
    assertEquals(OptionalLong.empty(), cache.nextDeadline());
    cache.put("pod-0", "changed"); // no waiter left behind in a pod's set
  }

  @Test
  void tenThousandWaitersOfOnePodAreAnsweredByOneChange() {
    long stamp = cache.put("a", "1");
    Answers answers = new Answers();
    for (int i = 0; i < 10_000; i++) {
      cache.await("a", stamp, 1_000 + i, answers.waiter());
    }
    assertEquals(10_000, cache.waiters());
    cache.put("a", "2");
    assertEquals(10_000, answers.got.size());
    assertTrue(answers.got.stream().allMatch(a -> a.status().equals("2")));
    assertEquals(0, cache.waiters());
    assertEquals(OptionalLong.empty(), cache.nextDeadline());
  }

  @Test
  void anAnsweredWaiterLeavesTheDeadlineQueue() {
    long stamp = cache.put("a", "1");
    Answers answers = new Answers();
    cache.await("a", stamp, 10, answers.waiter());
    cache.put("a", "2");
    assertEquals(0, cache.expire(Long.MAX_VALUE));
    assertEquals(1, answers.got.size());
  }

  @Test
  void aThrowingCallbackDoesNotStopTheOthers() {
    long stamp = cache.put("a", "1");
    Answers answers = new Answers();
    cache.await(
        "a",
        stamp,
        10,
        a -> {
          throw new IllegalStateException("broken client");
        });
    cache.await("a", stamp, 10, answers.waiter());
    cache.put("a", "2");
    assertEquals("2", answers.only().status());
    assertEquals(0, cache.waiters());
  }

  @Test
  void aCallbackMayWaitAgain() {
    long stamp = cache.put("a", "1");
    AtomicReference<StatusAnswer<String>> second = new AtomicReference<>();
    cache.await("a", stamp, 10, a -> cache.await("a", a.timestamp(), 20, second::set));
    cache.put("a", "2");
    assertEquals(1, cache.waiters());
    assertNull(second.get());
    cache.put("a", "3");
    assertEquals("3", second.get().status());
  }

  @Test
  void aTickAnswersEveryPassedWaiterEvenIfACallbackRemovesAPod() {
    cache.put("a", "a1");
    cache.put("b", "b1");
    Answers answers = new Answers();
    cache.await("a", 1_500, 10, a -> cache.remove("b"));
    cache.await("b", 1_500, 10, answers.waiter());
    cache.await("a", 1_500, 10, a -> cache.remove("a"));
    cache.tick(2_000);
    assertEquals(new StatusAnswer<>(Outcome.NEWER, "b1", 2_000), answers.only());
    assertEquals(0, cache.waiters());
    assertNull(cache.get("a"));
    assertNull(cache.get("b"));
  }

  @Test
  void aReplyCompletesFromTheCache() {
    long stamp = cache.put("a", "1");
    Reply<StatusAnswer<String>> reply = new Reply<>();
    cache.await("a", stamp, 10, reply::complete);
    assertFalse(reply.isDone());
    cache.put("a", "2");
    assertEquals("2", reply.await(Duration.ofSeconds(1)).status());
  }

  @Test
  void offTheLoopThreadEveryMethodAsserts() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread other = new Thread(() -> thrown.set(catching(() -> cache.put("a", "1"))));
    other.start();
    other.join();
    assertTrue(thrown.get() instanceof AssertionError, String.valueOf(thrown.get()));
    assertThrows(AssertionError.class, () -> new PodStatusCache<String>(new LoopGuard()).get("a"));
  }

  private static Throwable catching(Runnable r) {
    try {
      r.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}
