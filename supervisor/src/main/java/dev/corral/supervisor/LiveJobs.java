package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.metrics.CgroupStats;
import dev.corral.metrics.ContainerStats;
import dev.corral.monitor.Watch;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.ExecSpec;
import dev.corral.runtime.ExecStarted;
import dev.corral.runtime.ProcessSpecs;
import dev.corral.runtime.ResourceUpdate;
import dev.corral.state.ContainerPaths;
import dev.corral.state.ContainerRecord;
import dev.corral.state.StateDir;
import dev.corral.supervisor.task.AddProcessResultTask;
import dev.corral.supervisor.task.ShimLostTask;
import dev.corral.supervisor.task.UpdateProcessTask;
import dev.corral.supervisor.task.UpdateResultTask;
import dev.corral.supervisor.task.UpdateTask.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking halves of what a user does to a running container (pause, resume, update), run on
 * worker threads. Each job reads only its immutable inputs and reports through the {@link
 * Notifier}; none touches the table.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
final class LiveJobs {
  private static final Logger log = LoggerFactory.getLogger(LiveJobs.class);
  private static final int SIGKILL = 9;

  /** An exec's process as a signal needs it: a pid is only trusted with its start time. */
  record Target(String execId, int pid, long startTime) {}

  private final ContainerRuntime runtime;
  private final Notifier notifier;
  private final StateDir state;
  private final ExitWatcher watcher;
  private final String cgroupParent;
  private final CgroupStats cgroups = new CgroupStats(Path.of("/sys/fs/cgroup"));
  private final CheckpointJobs checkpoints;

  LiveJobs(
      ContainerRuntime runtime,
      Notifier notifier,
      StateDir state,
      ExitWatcher watcher,
      String cgroupParent) {
    this.runtime = runtime;
    this.notifier = notifier;
    this.state = state;
    this.watcher = watcher;
    this.cgroupParent = cgroupParent;
    this.checkpoints = new CheckpointJobs(runtime, notifier, state);
  }

  Runnable checkpoint(String id, String name, dev.corral.runtime.CheckpointOptions options) {
    return checkpoints.checkpoint(id, name, options);
  }

  Runnable deleteCheckpoint(String id, String name, Reply<Void> reply) {
    return checkpoints.delete(id, name, reply);
  }

  Runnable listCheckpoints(String id, Reply<List<CheckpointView>> reply) {
    return checkpoints.list(id, reply);
  }

  /** Reads the container's cgroup files (runc put it at PARENT/ID) and answers the caller. */
  Runnable stats(String id, Reply<ContainerStats> reply) {
    return () -> {
      try {
        reply.complete(cgroups.read(id, cgroupParent + "/" + id, Instant.now()));
      } catch (RuntimeException e) {
        reply.fail(CorralException.wrap(e, "container " + id + ": stats"));
      }
    };
  }

  /**
   * Writes the exec's process.json (the container's process with the request laid over it), runs
   * its conmon, and watches that conmon like an init's, keyed container/exec.
   */
  Runnable exec(ContainerRecord meta, ExecRequest req) {
    String id = meta.id();
    return () -> {
      Path dir = state.paths(id).execDir(req.execId());
      try {
        ExecSpec spec = spec(meta, req, dir);
        ExecStarted s = runtime.exec(spec);
        record(id, req, s);
        watcher.watch(new Watch(id, req.execId(), s.conmonPid(), spec.exitFile()));
        notifier.publish(new AddProcessResultTask(id, req.execId(), s, null));
      } catch (RuntimeException | IOException e) {
        removeQuietly(dir);
        CorralException error =
            CorralException.wrap(e, "container " + id + ": exec " + req.execId());
        notifier.publish(new AddProcessResultTask(id, req.execId(), null, error));
      }
    };
  }

  /**
   * Makes the running exec durable before anyone is told it runs, so a restarted daemon can
   * supervise it again; an exec that cannot be recorded is killed and the exec fails.
   */
  private void record(String id, ExecRequest req, ExecStarted s) throws IOException {
    try {
      state.writeExec(id, ExecProcess.record(req, s));
    } catch (IOException e) {
      try {
        runtime.signalProcess(id, req.execId(), s.pid(), s.startTime(), SIGKILL);
      } catch (RuntimeException gone) {
        log.debug("container {}: exec {}: already gone: {}", id, req.execId(), gone.getMessage());
      }
      throw e;
    }
  }

  private ExecSpec spec(ContainerRecord meta, ExecRequest req, Path dir) throws IOException {
    ContainerPaths p = state.paths(meta.id());
    Files.createDirectories(dir);
    Path processJson = dir.resolve("process.json");
    ProcessSpecs.write(p.bundle().resolve("config.json"), req.process(), processJson);
    return new ExecSpec(
        meta.id(),
        req.execId(),
        dir,
        processJson,
        req.stdin(),
        req.process().terminal(),
        meta.runtimeArgs());
  }

  private static void removeQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      log.debug("exec dir {}: not removed: {}", dir, e.toString());
    }
  }

  /** close-stdin or resize of the init ({@code execId} null) or an exec; answers the caller. */
  Runnable updateProcess(UpdateProcessTask t, String execId) {
    ContainerPaths p = state.paths(t.id());
    Path shimBundle = execId == null ? p.bundle() : p.execDir(execId);
    return () -> {
      try {
        if (t.action() == UpdateProcessTask.Action.CLOSE_STDIN) {
          runtime.closeStdin(t.id(), execId);
        } else {
          runtime.resize(t.id(), execId, shimBundle, t.height(), t.width());
        }
        t.reply().complete(null);
      } catch (RuntimeException e) {
        t.reply().fail(CorralException.wrap(e, "container " + t.id() + ": process " + t.pid()));
      }
    };
  }

  /** kill(2) of one exec; the caller's reply is answered here (a signal changes no state). */
  Runnable signal(String id, Target t, int signal, Reply<Void> reply) {
    return () -> {
      try {
        runtime.signalProcess(id, t.execId(), t.pid(), t.startTime(), signal);
        reply.complete(null);
      } catch (RuntimeException e) {
        reply.fail(CorralException.wrap(e, "container " + id + ": signal " + t.execId()));
      }
    };
  }

  /** An exec whose conmon died without its code: SIGKILL it (137), or it was gone (255). */
  Runnable execShimLost(String id, Target t) {
    return () -> {
      int code = ExitHandler.UNKNOWN_EXIT;
      try {
        runtime.signalProcess(id, t.execId(), t.pid(), t.startTime(), SIGKILL);
        code = 137;
      } catch (RuntimeException gone) {
        log.debug("container {}: exec {}: already gone: {}", id, t.execId(), gone.getMessage());
      }
      notifier.publish(new ShimLostTask(id, t.execId(), code, Instant.now()));
    };
  }

  /** SIGKILL to execs that outlive their init (e.g. outside its pid namespace). */
  Runnable killExecs(String id, List<Target> targets) {
    return () -> {
      for (Target t : targets) {
        try {
          runtime.signalProcess(id, t.execId(), t.pid(), t.startTime(), SIGKILL);
        } catch (RuntimeException e) {
          log.debug("container {}: exec {} already gone: {}", id, t.execId(), e.getMessage());
        }
      }
    };
  }

  /** runc pause, resume or update; the loop applies the outcome. */
  Runnable update(String id, Action action, ResourceUpdate resources) {
    return () -> {
      try {
        switch (action) {
          case PAUSE -> runtime.pause(id);
          case RESUME -> runtime.resume(id);
          case RESOURCES -> runtime.update(id, resources);
        }
        notifier.publish(new UpdateResultTask(id, action, null));
      } catch (RuntimeException e) {
        String verb = action.name().toLowerCase(java.util.Locale.ROOT);
        notifier.publish(
            new UpdateResultTask(
                id, action, CorralException.wrap(e, "container " + id + ": " + verb)));
      }
    };
  }
}
