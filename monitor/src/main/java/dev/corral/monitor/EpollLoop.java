package dev.corral.monitor;

import dev.corral.core.CorralException;
import dev.corral.runtime.sys.Epoll;
import dev.corral.runtime.sys.EpollEvent;
import dev.corral.runtime.sys.EventFd;
import dev.corral.runtime.sys.Fds;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One epoll set served by one named daemon thread. Other threads hand it fds ({@link #register},
 * after which the loop owns them) and small tasks ({@link #execute}); an eventfd in the set wakes
 * the thread for tasks and for {@link #close}. Pidfds of exits live here now; cgroup OOM eventfds
 * can join the same set through {@link #register} with their own {@link ReadyHandler}.
 *
 * <p>Thread contract: {@code register}, {@code execute}, {@link Registration#release()} and {@code
 * close} are safe from any thread. Handlers and tasks run on the loop thread only, one at a time,
 * never after {@code close} returned. A handler or task that throws is logged and the loop goes on:
 * losing the thread would silently lose every later exit.
 *
 * <p>Every use of an fd number that another thread may close happens under {@code fdLock}: a closed
 * number is reused at once by the next open() anywhere in the JVM, so a late write or epoll_ctl
 * would hit an unrelated file.
 */
final class EpollLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EpollLoop.class);
  private static final long WAKEUP_TOKEN = 0;
  private static final int MAX_EVENTS = 64;

  private final Object fdLock = new Object();
  private final Map<Long, Registration> registrations = new ConcurrentHashMap<>();
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicLong nextToken = new AtomicLong(WAKEUP_TOKEN + 1);
  private final byte[] events = EpollEvent.NATIVE.buffer(MAX_EVENTS); // loop thread only
  private final String name;
  private final int epfd;
  private final int wakefd;
  private final Thread thread;
  private volatile boolean stopping; // written by close() on any thread, read by the loop thread
  private boolean closed; // guarded by fdLock

  /** Opens the epoll set and its wakeup eventfd; {@link #start()} starts the thread. */
  EpollLoop(String name) {
    this.name = name;
    this.epfd = Epoll.create();
    this.wakefd = openWakeup(epfd);
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  private static int openWakeup(int epfd) {
    int fd = -1;
    try {
      fd = EventFd.open();
      Epoll.add(epfd, fd, Epoll.EPOLLIN, WAKEUP_TOKEN);
      return fd;
    } catch (RuntimeException e) {
      if (fd >= 0) {
        Fds.close(fd);
      }
      Fds.close(epfd);
      throw e;
    }
  }

  void start() {
    thread.start();
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /**
   * Adds {@code fd} (level-triggered, EPOLLIN) with {@code handler}. The loop owns the fd from here
   * on, even when this throws: it is then closed already.
   */
  Registration register(int fd, ReadyHandler handler) {
    return register(fd, Epoll.EPOLLIN, handler);
  }

  /**
   * As {@link #register(int, ReadyHandler)}, for {@code events} (0: only EPOLLHUP and EPOLLERR).
   */
  Registration register(int fd, int events, ReadyHandler handler) {
    Registration reg = new Registration(this, nextToken.getAndIncrement(), fd, handler);
    synchronized (fdLock) {
      if (closed) {
        Fds.close(fd);
        throw closedError();
      }
      registrations.put(reg.token(), reg);
      try {
        Epoll.add(epfd, fd, events, reg.token());
      } catch (RuntimeException e) {
        registrations.remove(reg.token());
        Fds.close(fd);
        throw e;
      }
    }
    return reg;
  }

  /** See {@link Registration#release()}. */
  boolean release(Registration reg) {
    synchronized (fdLock) {
      // After close every fd is closed already; the map removal makes the release happen once.
      if (closed || registrations.remove(reg.token()) == null) {
        return false;
      }
      try {
        Epoll.delete(epfd, reg.fd());
      } finally {
        Fds.close(reg.fd());
      }
      return true;
    }
  }

  /**
   * Applies {@code use} to the fd of {@code reg} while no other thread can close it; null when it
   * is released already. For short calls only (an ioctl): it holds the lock every fd user takes.
   */
  <T> T withFd(Registration reg, IntFunction<T> use) {
    synchronized (fdLock) {
      return closed || !registrations.containsKey(reg.token()) ? null : use.apply(reg.fd());
    }
  }

  /** Runs {@code task} on the loop thread soon; fails once the loop is closed. */
  void execute(Runnable task) {
    synchronized (fdLock) {
      if (closed) {
        throw closedError();
      }
      tasks.add(task);
      EventFd.signal(wakefd);
    }
  }

  int registrationCount() {
    return registrations.size();
  }

  /**
   * Stops the thread, waits for it (unless called from it), then closes every fd. Queued tasks are
   * dropped. Idempotent.
   */
  @Override
  public void close() {
    stopping = true;
    wake();
    if (!inLoop()) {
      joinUninterruptibly();
      shutdown(); // the thread did it already, unless it never started
    }
  }

  private void wake() {
    synchronized (fdLock) {
      if (!closed) {
        EventFd.signal(wakefd);
      }
    }
  }

  private void joinUninterruptibly() {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    LOG.debug("{}: started", name);
    try {
      while (!stopping) {
        dispatch(Epoll.await(epfd, events, -1));
      }
    } catch (RuntimeException e) {
      // Only epoll_wait itself can get here (handlers are guarded): a bug such as EBADF.
      LOG.error("{}: epoll loop failed, exits are no longer observed", name, e);
    } finally {
      shutdown();
      LOG.debug("{}: stopped", name);
    }
  }

  private void dispatch(int count) {
    for (int i = 0; i < count && !stopping; i++) {
      long token = EpollEvent.NATIVE.data(events, i);
      if (token == WAKEUP_TOKEN) {
        EventFd.drain(wakefd);
        runTasks();
      } else {
        ready(token, EpollEvent.NATIVE.events(events, i));
      }
    }
  }

  private void ready(long token, int bits) {
    // Null when released after epoll_wait returned its event: a stale event, ignored.
    Registration reg = registrations.get(token);
    if (reg != null) {
      guarded(() -> reg.handler().ready(reg, bits));
    }
  }

  private void runTasks() {
    // The drain came first, so a task queued after this loop ends has signalled the eventfd
    // again and the next epoll_wait returns at once: no wakeup is lost.
    Runnable task;
    while (!stopping && (task = tasks.poll()) != null) {
      guarded(task);
    }
  }

  private void guarded(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException | AssertionError e) {
      LOG.error("{}: handler failed; the loop goes on", name, e);
    }
  }

  private void shutdown() {
    synchronized (fdLock) {
      if (closed) {
        return;
      }
      closed = true;
      // Closing an fd drops it from the epoll set, and the set itself is closed last.
      registrations.values().forEach(reg -> Fds.close(reg.fd()));
      registrations.clear();
      tasks.clear();
      Fds.close(wakefd);
      Fds.close(epfd);
    }
  }

  private CorralException closedError() {
    return CorralException.failedPrecondition("%s: closed", name);
  }
}
