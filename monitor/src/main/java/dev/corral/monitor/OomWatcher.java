package dev.corral.monitor;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.runtime.sys.EventFd;
import dev.corral.runtime.sys.Fds;
import dev.corral.runtime.sys.Inotify;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OOM watches in the exit monitor's epoll set. On cgroup v1 each is an eventfd tied to the
 * container's {@code memory.oom_control} through {@code cgroup.event_control}; on cgroup v2 an
 * inotify fd on {@code memory.events}. Readiness only prompts a look: the kill is confirmed by
 * {@link OomConfirm} and reported at most once per watch.
 *
 * <p>Thread contract: {@link #watch} and {@link #unwatch} are safe from any thread; {@link #ready}
 * and {@link #beforeExit} run on the monitor thread, which is the only thread that calls the sink.
 * The exit monitor calls {@code beforeExit} ahead of every exit report, which is what puts an
 * {@code oom} before the {@code exit} it caused even when the pidfd is seen first.
 */
final class OomWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(OomWatcher.class);

  private final Map<ContainerRef, Entry> entries = new ConcurrentHashMap<>();
  private final EpollLoop loop;
  private final OomSink sink;

  OomWatcher(EpollLoop loop, OomSink sink) {
    this.loop = loop;
    this.sink = sink;
  }

  /**
   * Starts watching {@code w}.
   *
   * @throws CorralException already_exists when the container is watched; internal when the kernel
   *     refuses
   */
  void watch(OomWatch w) {
    Entry entry = new Entry(w, OomConfirm.oomKills(w).orElse(0));
    if (entries.putIfAbsent(w.containerId(), entry) != null) {
      throw CorralException.alreadyExists("oom watch %s: already watched", w.containerId());
    }
    try {
      int fd = w.v1() ? v1EventFd(w) : v2Inotify(w);
      entry.attach(loop.register(fd, (reg, events) -> ready(entry, reg)));
    } catch (RuntimeException e) {
      entries.remove(w.containerId(), entry);
      throw e;
    }
  }

  /** Stops watching; no report follows. */
  void unwatch(ContainerRef containerId) {
    Entry entry = entries.remove(containerId);
    if (entry != null) {
      entry.detach();
    }
  }

  int count() {
    return entries.size();
  }

  /** On the monitor thread: reports a confirmed kill of {@code containerId} not reported yet. */
  void beforeExit(ContainerRef containerId) {
    Entry entry = entries.get(containerId);
    if (entry != null) {
      check(entry, "at exit");
    }
  }

  private void ready(Entry entry, Registration reg) {
    assert loop.inLoop() : "oom readiness off the monitor thread";
    Fds.drain(reg.fd()); // an eventfd's counter or queued inotify events: either way, gone
    check(entry, "on notification");
  }

  private void check(Entry entry, String when) {
    if (!entry.reported
        && OomConfirm.confirmed(entry.counter, entry.watch.persistDir(), entry.baseline)) {
      entry.reported = true;
      LOG.debug("oom monitor: {} OOM-killed, confirmed {}", entry.watch.containerId(), when);
      try {
        sink.oom(entry.watch.containerId());
      } catch (RuntimeException | AssertionError e) {
        LOG.error("oom monitor: sink failed for {}", entry.watch.containerId(), e);
      }
    }
  }

  /**
   * cgroup v1: an eventfd the kernel signals on every OOM in the cgroup. The oom_control fd is only
   * needed while registering (the kernel keeps its own reference), so it is closed at once.
   */
  private static int v1EventFd(OomWatch w) {
    int efd = EventFd.open();
    int cfd = -1;
    try {
      cfd = Fds.openReadOnly(w.memoryCgroup().resolve("memory.oom_control").toString());
      Files.writeString(w.memoryCgroup().resolve("cgroup.event_control"), efd + " " + cfd);
      return efd;
    } catch (IOException | RuntimeException e) {
      Fds.close(efd);
      throw CorralException.internal(
          e, "oom watch %s: cgroup.event_control: %s", w.containerId(), e.getMessage());
    } finally {
      if (cfd >= 0) {
        Fds.close(cfd);
      }
    }
  }

  /** cgroup v2: the kernel notifies memory.events as modified when a counter in it moves. */
  private static int v2Inotify(OomWatch w) {
    return Inotify.watch(w.memoryCgroup().resolve("memory.events").toString(), Inotify.IN_MODIFY);
  }

  /** One watch; attach/detach as in the exit monitor: the second of the two releases the fd. */
  private static final class Entry {
    final OomWatch watch;
    final long baseline;
    final Path counter; // memory.oom_control or memory.events, found once
    boolean reported; // monitor thread only
    private Registration registration; // guarded by this
    private boolean detached; // guarded by this

    Entry(OomWatch watch, long baseline) {
      this.watch = watch;
      this.baseline = baseline;
      this.counter = OomConfirm.counterFile(watch);
    }

    synchronized void attach(Registration reg) {
      if (detached) {
        reg.release();
      } else {
        this.registration = reg;
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
