package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedExecutorTest {
  @Test
  void aBurstRunsEveryTaskOnAtMostLimitPoolThreadsAtOnce() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    AtomicInteger poolJobs = new AtomicInteger();
    BoundedExecutor bounded =
        new BoundedExecutor(
            job -> {
              poolJobs.incrementAndGet();
              pool.execute(job);
            },
            2);
    int n = 20_000;
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Thread[] submitters = new Thread[4];
    for (int s = 0; s < submitters.length; s++) {
      submitters[s] =
          new Thread(
              () -> {
                for (int i = 0; i < n / 4; i++) {
                  bounded.execute(
                      () -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        running.decrementAndGet();
                        done.countDown();
                      });
                }
              });
      submitters[s].start();
    }
    for (Thread t : submitters) {
      t.join();
    }
    assertTrue(done.await(30, TimeUnit.SECONDS), done.getCount() + " tasks never ran");
    assertTrue(most.get() <= 2, "ran " + most.get() + " at once");
    assertTrue(poolJobs.get() < n, "a pool job per task: " + poolJobs.get());
    pool.shutdown();
  }

  @Test
  void aFailingTaskDoesNotStopTheOthersAndARejectingPoolIsReported() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    BoundedExecutor inline = new BoundedExecutor(Runnable::run, 1);
    inline.execute(
        () -> {
          throw new IllegalStateException("boom");
        });
    inline.execute(ran::incrementAndGet);
    assertEquals(1, ran.get());

    BoundedExecutor closed =
        new BoundedExecutor(
            job -> {
              throw new RejectedExecutionException("stopped");
            },
            1);
    assertThrows(RejectedExecutionException.class, () -> closed.execute(ran::incrementAndGet));
    assertEquals(1, ran.get());
  }
}
