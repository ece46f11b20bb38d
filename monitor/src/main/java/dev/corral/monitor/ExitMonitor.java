package dev.corral.monitor;

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
 * {@link ExitSink} the code and time from the shim's exit file. It only observes: it never touches
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
  public void unwatchOom(String containerId) {
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
    } else {
      entry.attach(loop.register(fd, (registration, events) -> exited(entry)));
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

  /** On the monitor thread: the pidfd turned readable, or the process was gone at watch(). */
  private void exited(Entry entry) {
    assert loop.inLoop() : "exit handled off the monitor thread";
    entry.detach(); // a pidfd is one-shot: out of the epoll set and closed before the report
    // Whoever removes the entry owns the outcome: unwatch (no report) or this (one report).
    if (watches.remove(entry.watch.key(), entry)) {
      ooms.beforeExit(entry.watch.containerId()); // an oom always precedes the exit it caused
      report(entry.watch);
    }
  }

  private void report(Watch watch) {
    OptionalInt code = ExitFile.code(watch.exitFile());
    Instant exitedAt = ExitFile.exitedAt(watch.exitFile());
    try {
      sink.exited(watch, code, exitedAt);
    } catch (RuntimeException | AssertionError e) {
      LOG.error(
          "exit monitor: sink failed for watch {}; later exits are still reported", watch.key(), e);
    }
  }

  /**
   * One watch and its pidfd. unwatch() can run between register() and attach(), so whichever of
   * attach and detach comes second releases the registration; release itself acts once.
   */
  private static final class Entry {
    final Watch watch;
    private Registration registration; // guarded by this
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

    synchronized void detach() {
      detached = true;
      if (registration != null) {
        registration.release();
      }
    }
  }
}
