package dev.corral.supervisor.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReplyTest {
  /** Runs {@code r} on a fresh thread that is nobody's loop; returns what it threw. */
  private static Throwable offTheLoop(Runnable r) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                r.run();
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    t.join();
    return thrown.get();
  }

  @Test
  void completingOrFailingOffTheLoopTripsTheAssertion() throws Exception {
    Reply<String> reply = new Reply<>();
    Throwable complete = offTheLoop(() -> reply.complete("x"));
    Throwable fail = offTheLoop(() -> reply.fail(CorralException.internal(null, "x")));
    assertTrue(complete instanceof AssertionError, String.valueOf(complete));
    assertTrue(fail instanceof AssertionError, String.valueOf(fail));
    assertFalse(reply.isDone());
  }

  @Test
  void theLoopThreadCompletesAndAWaiterSeesIt() throws Exception {
    Reply<String> reply = new Reply<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread loop =
        new Thread(
            () -> {
              new LoopGuard().bindToCurrentThread();
              try {
                reply.complete("done");
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    loop.start();
    assertEquals("done", reply.await(Duration.ofSeconds(30)));
    loop.join();
    assertEquals(null, thrown.get());
  }
}
