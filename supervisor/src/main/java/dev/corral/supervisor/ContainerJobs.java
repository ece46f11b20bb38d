package dev.corral.supervisor;

import com.codahale.metrics.Timer;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.metrics.MetricCatalog;
import dev.corral.monitor.OomWatch;
import dev.corral.monitor.Watch;
import dev.corral.runtime.Bundles;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.CreateSpec;
import dev.corral.runtime.Created;
import dev.corral.runtime.RuncState;
import dev.corral.runtime.Specs;
import dev.corral.state.ContainerPaths;
import dev.corral.state.ContainerRecord;
import dev.corral.state.ShimRecord;
import dev.corral.state.StateDir;
import dev.corral.supervisor.task.DeleteResultTask;
import dev.corral.supervisor.task.ShimLostTask;
import dev.corral.supervisor.task.StartResultTask;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking halves of the container operations, run on worker threads. Each job reads only its
 * immutable inputs and reports through the {@link Notifier}; none touches the table.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
final class ContainerJobs {
  private static final Logger log = LoggerFactory.getLogger(ContainerJobs.class);
  static final String INIT = "init";

  private final ContainerRuntime runtime;
  private final StateDir state;
  private final Notifier notifier;
  private final ExitWatcher watcher;
  private final MetricCatalog metrics;
  private final Clock clock;
  private final String cgroupParent;
  private final LiveJobs live;

  ContainerJobs(
      ContainerRuntime runtime,
      StateDir state,
      Notifier notifier,
      ExitWatcher watcher,
      MetricCatalog metrics,
      Clock clock,
      String cgroupParent) {
    this.runtime = runtime;
    this.state = state;
    this.notifier = notifier;
    this.watcher = watcher;
    this.metrics = metrics;
    this.clock = clock;
    this.cgroupParent = cgroupParent;
    this.live = new LiveJobs(runtime, notifier, state, watcher, cgroupParent);
  }

  /** The jobs of a live container: pause, resume, update, exec, stats. */
  LiveJobs live() {
    return live;
  }

  /** Makes the state dir, prepares the bundle, spawns conmon (runc create), watches, starts. */
  Runnable start(CreateRequest req, ContainerRecord meta) {
    return () -> {
      boolean ownDir = false;
      try {
        long t0 = System.nanoTime();
        ContainerPaths p = state.create(meta);
        ownDir = true;
        prepareBundle(req, p);
        Bundles.setTerminal(p.bundle(), req.terminal());
        long t1 = System.nanoTime();
        Created c = time(metrics.create, () -> runtime.create(spec(req, p)));
        // Durable before the container runs: a daemon restarted after a crash finds its shim
        // from this file alone (status.json is written asynchronously and may lag).
        state.writeShim(req.id(), new ShimRecord(c.conmonPid(), c.conmonStartTime(), c.initPid()));
        long t2 = System.nanoTime();
        watcher.watch(new Watch(req.id(), INIT, c.conmonPid(), p.exitFile()));
        watchOom(req.id(), p); // the cgroup exists from runc create on
        metrics.containerCreated(req.id());
        if (req.checkpoint() == null) { // a restore is running already
          time(
              metrics.start,
              () -> {
                runtime.start(req.id());
                return null;
              });
        }
        long t3 = System.nanoTime();
        log.debug(
            "container {}: prepared in {} us, created in {} us, started in {} us",
            req.id(),
            (t1 - t0) / 1000,
            (t2 - t1) / 1000,
            (t3 - t2) / 1000);
        notifier.publish(StartResultTask.ok(req.id(), c, Instant.now(clock)));
      } catch (RuntimeException | IOException e) {
        CorralException error = CorralException.wrap(e, "container " + req.id() + ": start");
        if (ownDir && error.kind() == ErrorKind.ALREADY_EXISTS) {
          // runc holds another container with this id: it is not ours to delete.
          removeStateQuietly(req.id());
        } else if (ownDir) {
          cleanUp(req.id());
        }
        notifier.publish(StartResultTask.failed(req.id(), error));
      }
    };
  }

  /** The daemon's bundle: a copy of the user's config.json, or a spec generated for a rootfs. */
  private void prepareBundle(CreateRequest req, ContainerPaths p) {
    if (req.generatesSpec()) {
      Specs.write(
          "rootfs",
          req.rootfs(),
          req.process(),
          req.resources(),
          p.bundle(),
          req.id(),
          cgroupParent);
    } else {
      Bundles.prepare("bundle", req.bundle(), p.bundle(), req.id(), cgroupParent);
    }
  }

  /** An OOM watch is best effort: a container without one runs, it just cannot report OOMs. */
  private void watchOom(String id, ContainerPaths p) {
    try {
      watcher.watchOom(new OomWatch(id, MemoryCgroup.of(cgroupParent, id), p.persist()));
    } catch (RuntimeException e) {
      log.warn("container {}: OOM kills will not be reported: {}", id, e.getMessage());
    }
  }

  private CreateSpec spec(CreateRequest req, ContainerPaths p) {
    return new CreateSpec(
        req.id(),
        p.bundle(),
        p.persist(),
        p.exits(),
        p.log(),
        p.initPidFile(),
        p.conmonPidFile(),
        req.stdin(),
        req.terminal(),
        req.runtimeArgs(),
        req.checkpoint());
  }

  /** runc kill; the caller's reply is answered here (a signal changes no state). */
  Runnable signal(String id, int signal, boolean all, Reply<Void> reply) {
    return () -> {
      try {
        metrics.signal.time(() -> runtime.kill(id, signal, all));
        reply.complete(null);
      } catch (RuntimeException e) {
        reply.fail(CorralException.wrap(e, "container " + id + ": signal"));
      }
    };
  }

  /** Kills a running container for a forced delete; the exit it causes drives the removal. */
  Runnable killForDelete(String id) {
    return () -> {
      try {
        runtime.kill(id, 9, true);
      } catch (RuntimeException e) {
        // Most often it exited on its own meanwhile; its exit still reaches the loop.
        log.info("container {}: kill before delete: {}", id, e.getMessage());
      }
    };
  }

  /** A shim died without an exit code: kill and clean what it left, report a ShimLostTask. */
  Runnable shimLost(String id) {
    return () -> {
      watcher.unwatch(id + "/" + INIT);
      notifier.publish(new ShimLostTask(id, INIT, killOrphan(runtime, id), Instant.now(clock)));
    };
  }

  /**
   * Kills a container whose shim is gone ({@code runc kill --all 9}, then {@code runc delete
   * --force}, which also frees its cgroup). Returns the exit to report: 137 when it was still there
   * to kill, 255 when it was gone already. Blocking: worker or start-up thread only.
   */
  static int killOrphan(ContainerRuntime runtime, String id) {
    int code = ExitHandler.UNKNOWN_EXIT;
    try {
      Optional<RuncState> s = runtime.state(id);
      if (s.isPresent() && !"stopped".equals(s.get().status())) {
        runtime.kill(id, 9, true);
        code = 137;
      }
      runtime.delete(id, true);
    } catch (RuntimeException e) {
      log.warn("container {}: killing the orphan of a lost shim: {}", id, e.getMessage());
    }
    return code;
  }

  /** runc delete, then the conmon leftovers and the state dir. */
  Runnable remove(String id) {
    return () -> {
      try {
        metrics.delete.time(() -> cleanUp(id));
        notifier.publish(new DeleteResultTask(id, null));
      } catch (RuntimeException e) {
        notifier.publish(
            new DeleteResultTask(id, CorralException.wrap(e, "container " + id + ": delete")));
      }
    };
  }

  private void removeStateQuietly(String id) {
    try {
      state.remove(id);
    } catch (IOException e) {
      log.warn("container {}: removing state after a failed start: {}", id, e.toString());
    }
  }

  private void cleanUp(String id) {
    watcher.unwatch(id + "/" + INIT);
    watcher.unwatchOom(id); // before runc delete: removing the cgroup wakes a v1 OOM eventfd
    metrics.containerRemoved(id);
    runtime.delete(id, true); // also removes conmon's socket link; the rest is in our dir
    try {
      state.remove(id);
    } catch (IOException e) {
      throw CorralException.internal(e, "container %s: removing state: %s", id, e.getMessage());
    }
  }

  private interface Blocking<T> {
    T run() throws IOException;
  }

  private static <T> T time(Timer timer, Blocking<T> body) throws IOException {
    Timer.Context t = timer.time();
    try {
      return body.run();
    } finally {
      t.stop();
    }
  }
}
