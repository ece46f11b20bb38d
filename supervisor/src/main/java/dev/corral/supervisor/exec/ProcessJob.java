package dev.corral.supervisor.exec;

import com.codahale.metrics.Timer;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import dev.corral.metrics.Operation;
import dev.corral.monitor.Watch;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.ExecSpec;
import dev.corral.runtime.ExecStarted;
import dev.corral.runtime.ProcessSpecs;
import dev.corral.state.ContainerPaths;
import dev.corral.state.ContainerRecord;
import dev.corral.state.StateDir;
import dev.corral.supervisor.model.ExecProcess;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.task.AddProcessResultTask;
import dev.corral.supervisor.task.AnswerTask;
import dev.corral.supervisor.task.ExecRequest;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.UpdateProcessTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking half of {@link ProcessHandler}, on worker threads: starting an exec's conmon and
 * changing a process's stdio. Each job reads only its immutable inputs and reports through the
 * {@link Notifier}; none touches the table.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class ProcessJob {
  private static final Logger log = LoggerFactory.getLogger(ProcessJob.class);
  private static final int SIGKILL = 9;

  private final ContainerRuntime runtime;
  private final Notifier notifier;
  private final StateDir state;
  private final ExitWatcher watcher;
  private final Timer timer;

  public ProcessJob(
      ContainerRuntime runtime,
      Notifier notifier,
      StateDir state,
      ExitWatcher watcher,
      MetricCatalog metrics) {
    this.runtime = runtime;
    this.notifier = notifier;
    this.state = state;
    this.watcher = watcher;
    this.timer = metrics.operation(Operation.EXEC);
  }

  /**
   * Writes the exec's process.json (the container's process with the request laid over it), runs
   * its conmon, and watches that conmon like an init's, keyed container/exec.
   */
  Runnable exec(ContainerRecord meta, ExecRequest req) {
    ContainerRef id = meta.ref();
    return () -> {
      Path dir = state.paths(id).execDir(req.execId());
      try {
        ExecSpec spec = spec(meta, req, dir);
        ExecStarted s = timer.timeSupplier(() -> runtime.exec(spec));
        record(id, req, s);
        watcher.watch(new Watch(id, req.execId(), s.conmonPid(), spec.exitFile()));
        notifier.publish(new AddProcessResultTask(id, req.execId(), s, null));
      } catch (RuntimeException | IOException e) {
        removeQuietly(dir);
        removeQuietly(state.paths(id).execLog(req.execId()).getParent());
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
  private void record(ContainerRef id, ExecRequest req, ExecStarted s) throws IOException {
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
    ContainerPaths p = state.paths(meta.ref());
    Files.createDirectories(dir);
    Path processJson = dir.resolve("process.json");
    ProcessSpecs.write(p.bundle().resolve("config.json"), req.process().spec(), processJson);
    return new ExecSpec(
        meta.ref(),
        req.execId(),
        dir,
        processJson,
        req.stdin(),
        req.process().terminal(),
        meta.runtimeArgs(),
        p.execLog(req.execId()));
  }

  private static void removeQuietly(Path dir) {
    try {
      StateDir.removeTree(dir);
    } catch (IOException e) {
      log.debug("exec dir {}: not removed: {}", dir, e.toString());
    }
  }

  /** close-stdin or resize of the init ({@code execId} null) or an exec. */
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
        notifier.publish(AnswerTask.ok(t.reply(), null));
      } catch (RuntimeException e) {
        String what = "container " + t.id() + ": process " + t.processId();
        notifier.publish(AnswerTask.failed(t.reply(), CorralException.wrap(e, what)));
      }
    };
  }
}
