package dev.corral.supervisor.thread;

/**
 * Knows which thread is the supervisor loop, so loop-confined code can {@code assert
 * guard.inLoop()} at its top (Netty's {@code inEventLoop()} habit). Bound once, by the loop thread
 * itself when it starts (or by a unit test driving the loop on its own thread).
 *
 * <p>Thread-safe: the bound thread is published through a volatile field.
 */
public final class LoopGuard {
  private volatile Thread loop; // written once by the loop thread, read by every thread

  /** Called on the thread that will run the loop. */
  public void bindToCurrentThread() {
    loop = Thread.currentThread();
  }

  public boolean inLoop() {
    return Thread.currentThread() == loop;
  }
}
