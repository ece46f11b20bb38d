package dev.corral.monitor;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.runtime.sys.Pidfd;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches processes (conmon shims) for exit with one pidfd each in one epoll set, and tells an
 * {@link ExitSink} the code and time. Where a watch names the shim's child (the container's init),
 * that child has a pidfd of its own, and its exit is reported as soon as conmon reaps it, with the
 * code the kernel keeps behind the pidfd (Linux 6.15+); otherwise, or when the kernel offers none,
 * the code comes from the shim's exit file when the shim exits. It only observes: it never touches
 * container state, and the supervisor turns each call into an exit task.
 *
 * <p>Thread contract: {@link #watch}, {@link #unwatch}, {@link #watchCount} and {@link #close} are
 * safe from any thread. The sink is called on the monitor thread ({@value #THREAD_NAME}) only, at
 * most once per watch (exactly once if it is not unwatched first and the monitor is not closed
 * first), and never after {@code close} returned. An exception from the sink is logged and later
 * exits are still reported.
 *
 * <p>Pids are reused quickly ({@code pid_max} is 32768 here): a caller that re-watches after a
 * restart checks first that the pid is still its shim (start time in /proc/PID/stat).
 */
public final class ExitMonitor implements AutoCloseable {
  /** The name of the monitor thread, on which the sink is called. */
  public static final String THREAD_NAME = "corral-monitor";

  private static final Logger LOG = LoggerFactory.getLogger(ExitMonitor.class);

  private final Map<String, Entry> watches = new ConcurrentHashMap<>();
  private final ExitSink sink;
  private final EpollLoop loop;
  private final OomWatcher ooms;

  private ExitMonitor(ExitSink sink, OomSink oomSink, EpollLoop loop) {
    this.sink = sink;
    this.loop = loop;
    this.ooms = new OomWatcher(loop, oomSink);
  }

  /** Opens the epoll set and starts the monitor thread; OOM kills are not reported. */
  public static ExitMonitor start(ExitSink sink) {
    return start(sink, OomSink.NONE);
  }

  /** Opens the epoll set and starts the monitor thread, reporting OOM kills to {@code oomSink}. */
  public static ExitMonitor start(ExitSink sink, OomSink oomSink) {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(oomSink, "oomSink");
    ExitMonitor monitor = new ExitMonitor(sink, oomSink, new EpollLoop(THREAD_NAME));
    monitor.loop.start();
    return monitor;
  }

  /**
   * Starts watching a container's memory cgroup for OOM kills, in the same epoll set as the pidfds.
   * A confirmed kill is reported once, and before the exit of that container.
   *
   * @throws CorralException already_exists when watched already; internal when the kernel refuses
   */
  public void watchOom(OomWatch watch) {
    Objects.requireNonNull(watch, "watch");
    ooms.watch(watch);
  }

  /** Stops watching {@code containerId} for OOM kills (before its cgroup is removed). */
  public void unwatchOom(ContainerRef containerId) {
    ooms.unwatch(containerId);
  }

  /** How many fds are in the epoll set: pidfds and OOM watches (not the wakeup eventfd). */
  public int registrationCount() {
    return loop.registrationCount();
  }

  /**
   * Starts watching {@code watch.pid()}. A process that is already gone is reported too (from the
   * monitor thread, like any other exit).
   *
   * @throws CorralException already_exists when its key is watched already; invalid_argument for a
   *     pid below 1; failed_precondition after close; internal when the kernel refuses
   */
  public void watch(Watch watch) {
    check(watch);
    Entry entry = new Entry(watch);
    if (watches.putIfAbsent(watch.key(), entry) != null) {
      throw CorralException.alreadyExists("watch %s: already watched", watch.key());
    }
    try {
      arm(entry);
    } catch (RuntimeException e) {
      watches.remove(watch.key(), entry);
      throw e;
    }
  }

  private static void check(Watch watch) {
    Objects.requireNonNull(watch, "watch");
    Objects.requireNonNull(watch.exitFile(), "exitFile");
    if (watch.pid() < 1) {
      throw CorralException.invalidArgument("watch %s: pid %d", watch.key(), watch.pid());
    }
  }

  private void arm(Entry entry) {
    int fd = Pidfd.open(entry.watch.pid());
    if (fd == Pidfd.NO_PROCESS) {
      // Gone before we looked: report it all the same, from the monitor thread, so the sink
      // keeps its one-thread contract and the caller's thread never runs supervisor code.
      loop.execute(() -> exited(entry));
      return;
    }
    entry.attach(loop.register(fd, (registration, events) -> exited(entry)));
    armChild(entry);
  }

  /** Best effort: without the child's own pidfd its exit still comes, from conmon's exit file. */
  private void armChild(Entry entry) {
    try {
      int fd = ChildPidfd.open(entry.watch);
      if (fd != ChildPidfd.NONE) {
        // No events asked: the registration wakes on EPOLLHUP alone, when conmon reaped it.
        entry.attachChild(loop.register(fd, 0, (reg, events) -> reaped(entry, reg)));
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "watch {}: its exit code will come from conmon: {}", entry.watch.key(), e.toString());
    }
  }

  /** Stops watching {@code key}, if watched, and closes its pidfd. No report follows, or one. */
  public void unwatch(String key) {
    Entry entry = watches.remove(key);
    if (entry != null) {
      entry.detach();
    }
  }

  /** How many watches are registered and not reported yet. */
  public int watchCount() {
    return watches.size();
  }

  /** Stops the monitor thread, waits for it and closes every fd. Idempotent. */
  @Override
  public void close() {
    loop.close();
    watches.clear();
  }

  /**
   * On the monitor thread: conmon reaped its child. When the kernel offers the code, the exit is
   * reported now, before conmon has written its files and exited; conmon's own pidfd stays in the
   * set until it exits too, and is then dropped without a second report.
   */
  private void reaped(Entry entry, Registration child) {
    assert loop.inLoop() : "exit handled off the monitor thread";
    OptionalInt code = childCode(entry.watch, child);
    child.release();
    if (code.isPresent() && watches.remove(entry.watch.key(), entry)) {
      entry.earlyCode = code;
      ooms.beforeExit(entry.watch.containerId()); // an oom always precedes the exit it caused
      deliver(entry.watch, code, Instant.now());
    }
  }

  /** On the monitor thread: conmon's pidfd turned readable, or conmon was gone at watch(). */
  private void exited(Entry entry) {
    assert loop.inLoop() : "exit handled off the monitor thread";
    Registration child = entry.child();
    // Conmon may not have written its file (disk full): the kernel's code, when it has one, wins.
    OptionalInt fromKernel = child == null ? OptionalInt.empty() : childCode(entry.watch, child);
    entry.detach(); // a pidfd is one-shot: out of the epoll set and closed before the report
    // Whoever removes the entry owns the outcome: unwatch (no report) or this (one report).
    if (watches.remove(entry.watch.key(), entry)) {
      ooms.beforeExit(entry.watch.containerId()); // an oom always precedes the exit it caused
      report(entry.watch, fromKernel);
    } else if (entry.earlyCode.isPresent() && ExitFile.code(entry.watch.exitFile()).isEmpty()) {
      LOG.warn(
          "watch {}: conmon exited without recording the exit; reported {} from the kernel",
          entry.watch.key(),
          entry.earlyCode.getAsInt());
    }
  }

  private OptionalInt childCode(Watch watch, Registration child) {
    OptionalInt code = loop.withFd(child, fd -> ChildPidfd.code(watch, fd));
    return code == null ? OptionalInt.empty() : code;
  }

  private void report(Watch watch, OptionalInt fromKernel) {
    if (fromKernel.isPresent()) {
      deliver(watch, fromKernel, Instant.now());
    } else {
      deliver(watch, ExitFile.code(watch.exitFile()), ExitFile.exitedAt(watch.exitFile()));
    }
  }

  private void deliver(Watch watch, OptionalInt code, Instant exitedAt) {
    try {
      sink.exited(watch, code, exitedAt);
    } catch (RuntimeException | AssertionError e) {
      LOG.error(
          "exit monitor: sink failed for watch {}; later exits are still reported", watch.key(), e);
    }
  }

  /**
   * One watch, its conmon's pidfd and its child's. unwatch() can run between register() and
   * attach(), so whichever of attach and detach comes second releases the registration; release
   * itself acts once.
   */
  private static final class Entry {
    final Watch watch;
    OptionalInt earlyCode = OptionalInt.empty(); // monitor thread only: reported from the kernel
    private Registration registration; // guarded by this
    private Registration child; // guarded by this
    private boolean detached; // guarded by this

    Entry(Watch watch) {
      this.watch = watch;
    }

    synchronized void attach(Registration registration) {
      if (detached) {
        registration.release();
      } else {
        this.registration = registration;
      }
    }

    synchronized void attachChild(Registration child) {
      if (detached) {
        child.release();
      } else {
        this.child = child;
      }
    }

    synchronized Registration child() {
      return child;
    }

    synchronized void detach() {
      detached = true;
      if (registration != null) {
        registration.release();
      }
      if (child != null) {
        child.release();
      }
    }
  }
}
