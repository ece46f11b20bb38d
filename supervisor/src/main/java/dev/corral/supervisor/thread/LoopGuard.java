package dev.corral.supervisor.thread;

/**
 * Knows which thread is the supervisor loop, so loop-confined code can {@code assert
 * guard.inLoop()} at its top (Netty's {@code inEventLoop()} habit). Bound once, by the loop thread
 * itself when it starts (or by a unit test driving the loop on its own thread). Code that holds no
 * guard (a {@link Reply}) asks {@link #onALoopThread} instead: whether the current thread was bound
 * as some supervisor's loop.
 *
 * <p>Thread-safe: the bound thread is published through a volatile field; the per-thread mark is
 * the thread's own.
 */
public final class LoopGuard {
  private static final ThreadLocal<Boolean> LOOP_THREAD = ThreadLocal.withInitial(() -> false);

  private volatile Thread loop; // written once by the loop thread, read by every thread

  /** Called on the thread that will run the loop. */
  public void bindToCurrentThread() {
    loop = Thread.currentThread();
    LOOP_THREAD.set(true);
  }

  /** Whether the current thread runs (or, in a unit test, stands in for) a supervisor loop. */
  public static boolean onALoopThread() {
    return LOOP_THREAD.get();
  }

  public boolean inLoop() {
    return Thread.currentThread() == loop;
  }
}
