package dev.corral.supervisor.lifecycle;

import com.codahale.metrics.Timer;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.core.Ids;
import dev.corral.metrics.MetricCatalog;
import dev.corral.monitor.OomWatch;
import dev.corral.monitor.Watch;
import dev.corral.runtime.Bundles;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.CreateSpec;
import dev.corral.runtime.Created;
import dev.corral.runtime.PodSpecs;
import dev.corral.runtime.ProcStat;
import dev.corral.runtime.Specs;
import dev.corral.state.AtomicFiles;
import dev.corral.state.ContainerPaths;
import dev.corral.state.ContainerRecord;
import dev.corral.state.RestartFiles;
import dev.corral.state.RestartRecord;
import dev.corral.state.ShimRecord;
import dev.corral.state.StateDir;
import dev.corral.supervisor.model.Cgroups;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.PodPart;
import dev.corral.supervisor.task.SpecView;
import dev.corral.supervisor.task.StartResultTask;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking half of {@link StartHandler}, on a worker thread: makes the state dir, prepares the
 * bundle, spawns conmon (runc create), watches it, starts the container, and publishes a {@link
 * StartResultTask}. It reads only its immutable inputs and never touches the table.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class StartJob {
  private static final Logger log = LoggerFactory.getLogger(StartJob.class);

  private final ContainerRuntime runtime;
  private final StateDir state;
  private final Notifier notifier;
  private final ExitWatcher watcher;
  private final MetricCatalog metrics;
  private final Clock clock;
  private final String cgroupParent;
  private final DeleteJob cleaner;

  public StartJob(
      ContainerRuntime runtime,
      StateDir state,
      Notifier notifier,
      ExitWatcher watcher,
      MetricCatalog metrics,
      Clock clock,
      String cgroupParent,
      DeleteJob cleaner) {
    this.runtime = runtime;
    this.state = state;
    this.notifier = notifier;
    this.watcher = watcher;
    this.metrics = metrics;
    this.clock = clock;
    this.cgroupParent = cgroupParent;
    this.cleaner = cleaner;
  }

  Runnable start(CreateRequest req, ContainerRecord meta, RestartRecord restart) {
    return () -> {
      boolean ownDir = false;
      try {
        ContainerPaths p = state.create(meta);
        ownDir = true;
        if (restart != null) {
          // fsync'ed (file and dir), before anything runs: after a power loss without it, an
          // always or unless-stopped container would come back with the policy no and stay down.
          RestartFiles.write(p, restart);
        }
        byte[] spec = prepare(req, p);
        Created c = createAndStart(req, meta, p);
        Instant startedAt = Instant.now(clock);
        notifier.publish(StartResultTask.ok(req.id(), c, startedAt, SpecView.of(p.bundle(), spec)));
      } catch (RuntimeException | IOException e) {
        CorralException error = CorralException.wrap(e, "container " + req.id() + ": start");
        if (ownDir && error.kind() == ErrorKind.ALREADY_EXISTS) {
          // runc holds another container with this id: it is not ours to delete.
          removeStateQuietly(req.id());
        } else if (ownDir) {
          cleaner.cleanUp(req.id());
        }
        notifier.publish(StartResultTask.failed(req.id(), error));
      }
    };
  }

  /**
   * Prepares the bundle and saves a copy of its config.json under --root; returns the prepared
   * config.json, read once for both the copy and the inspect's view of the spec (runc only reads
   * it).
   */
  private byte[] prepare(CreateRequest req, ContainerPaths p) throws IOException {
    long t0 = System.nanoTime();
    prepareBundle(req, p);
    byte[] spec = Files.readAllBytes(p.bundle().resolve("config.json"));
    // Not fsync'ed: a power loss can cost only the copy, and with it a start after the reboot,
    // which then fails saying so; the request's path needs no more syncs for it.
    AtomicFiles.replace(p.savedSpec(), spec);
    log.debug("container {}: prepared in {} us", req.id(), (System.nanoTime() - t0) / 1000);
    return spec;
  }

  private Created createAndStart(CreateRequest req, ContainerRecord meta, ContainerPaths p)
      throws IOException {
    long t1 = System.nanoTime();
    // a restore runs already
    Created c = launch(spec(req, p), meta.cgroupsPath(), p, req.checkpoint() == null);
    log.debug(
        "container {}: created and started in {} us", req.id(), (System.nanoTime() - t1) / 1000);
    return c;
  }

  /**
   * Runs a container again from the daemon's copy of its bundle (a start or restart of a stopped
   * container): the same create path as a new container's, minus the bundle preparation. The caller
   * has removed the previous run's runc state and exit files.
   */
  public Created launchAgain(ContainerRecord meta, ContainerPaths p) throws IOException {
    state.restoreRuntimeDir(meta.ref()); // after a reboot, from the spec saved under --root
    CreateSpec spec =
        new CreateSpec(
            meta.ref(),
            p.bundle(),
            p.persist(),
            p.exits(),
            p.log(),
            p.initPidFile(),
            p.conmonPidFile(),
            meta.stdin(),
            meta.terminal(),
            meta.runtimeArgs(),
            null);
    return launch(spec, meta.cgroupsPath(), p, true);
  }

  /**
   * The cgroup of a new container: {@code PARENT/NS/ID}, so a namespace's containers share a parent
   * cgroup of their own; a pod's sandbox and containers {@code PARENT/NS/pod-UID/ID}.
   */
  public String cgroupsPath(CreateRequest req) {
    return parentCgroup(req) + "/" + req.id().id();
  }

  private String parentCgroup(CreateRequest req) {
    String ns = req.id().namespace();
    return req.pod() == null || req.pod() instanceof PodPart.Join
        ? Cgroups.namespace(cgroupParent, ns)
        : Cgroups.pod(cgroupParent, ns, req.pod().uid());
  }

  private Created launch(CreateSpec spec, String cgroupsPath, ContainerPaths p, boolean start)
      throws IOException {
    ContainerRef id = spec.ref();
    Created c = time(metrics.create, () -> runtime.create(spec));
    // Before the container runs: a daemon restarted after its crash finds the shim from this file
    // alone (status.json is written asynchronously and may lag). In the tmpfs, without fsync.
    state.writeShim(
        id,
        new ShimRecord(
            c.conmonPid(),
            c.conmonStartTime(),
            c.initPid(),
            c.initStartTime() == Created.UNKNOWN ? ShimRecord.UNKNOWN_START : c.initStartTime()));
    watcher.watch(watchOf(id, c, p));
    watchOom(id, cgroupsPath, p); // the cgroup exists from runc create on
    if (start) {
      time(
          metrics.start,
          () -> {
            runtime.start(id, c);
            return null;
          });
    }
    return c;
  }

  /**
   * conmon, and the init itself when its start time is known: the init's own pidfd reports its exit
   * as soon as conmon reaps it, with the kernel's code, which does not depend on conmon managing to
   * write its exit file.
   */
  private static Watch watchOf(ContainerRef id, Created c, ContainerPaths p) {
    if (c.initStartTime() == Created.UNKNOWN) {
      return new Watch(id, Ids.INIT, c.conmonPid(), p.exitFile());
    }
    return new Watch(id, Ids.INIT, c.conmonPid(), p.exitFile(), c.initPid(), c.initStartTime());
  }

  /** The daemon's bundle: a copy of the user's config.json, or a spec generated for a rootfs. */
  private void prepareBundle(CreateRequest req, ContainerPaths p) {
    if (req.pod() instanceof PodPart.Sandbox s) {
      PodSpecs.writeSandbox(
          s.rootfs(),
          s.hostname(),
          req.resources().spec(),
          p.bundle(),
          req.id().id(),
          parentCgroup(req));
      return;
    }
    if (req.generatesSpec()) {
      Specs.write(
          "rootfs",
          req.rootfs(),
          req.process().spec(),
          req.resources().spec(),
          p.bundle(),
          req.id().id(),
          parentCgroup(req),
          req.terminal());
    } else {
      Bundles.prepare(
          "bundle", req.bundle(), p.bundle(), req.id().id(), parentCgroup(req), req.terminal());
    }
    if (req.pod() instanceof PodPart.Member m) {
      PodSpecs.joinSandboxBundle(p.bundle(), m.sandboxPid());
      // The paths name the sandbox's process: it must still be that process when runc reads them.
      if (m.sandboxStartTime() != Created.UNKNOWN
          && !ProcStat.alive(m.sandboxPid(), m.sandboxStartTime())) {
        throw CorralException.failedPrecondition("pod %s: its sandbox is gone", m.uid());
      }
    }
  }

  /** An OOM watch is best effort: a container without one runs, it just cannot report OOMs. */
  private void watchOom(ContainerRef id, String cgroupsPath, ContainerPaths p) {
    try {
      watcher.watchOom(new OomWatch(id, Cgroups.memory(cgroupsPath), p.persist()));
    } catch (RuntimeException e) {
      log.warn("container {}: OOM kills will not be reported: {}", id, e.getMessage());
    }
  }

  private static CreateSpec spec(CreateRequest req, ContainerPaths p) {
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

  private void removeStateQuietly(ContainerRef id) {
    try {
      state.remove(id);
    } catch (IOException e) {
      log.warn("container {}: removing state after a failed start: {}", id, e.toString());
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
