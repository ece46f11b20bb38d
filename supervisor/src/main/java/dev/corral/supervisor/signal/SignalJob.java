package dev.corral.supervisor.signal;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.supervisor.model.ExecProcess;
import dev.corral.supervisor.task.AnswerTask;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.thread.Reply;

/**
 * The blocking half of {@link SignalHandler}, on worker threads: {@code runc kill} of an init, or
 * kill(2) of an exec's process; the outcome goes back to the loop as an {@link AnswerTask}.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class SignalJob {
  private final ContainerRuntime runtime;
  private final Notifier notifier;
  private final MetricCatalog metrics;

  public SignalJob(ContainerRuntime runtime, Notifier notifier, MetricCatalog metrics) {
    this.runtime = runtime;
    this.notifier = notifier;
    this.metrics = metrics;
  }

  Runnable init(ContainerRef id, int signal, boolean all, Reply<Void> reply) {
    return () -> {
      try {
        metrics.signal.time(() -> runtime.kill(id, signal, all));
        notifier.publish(AnswerTask.ok(reply, null));
      } catch (RuntimeException e) {
        notifier.publish(
            AnswerTask.failed(reply, CorralException.wrap(e, "container " + id + ": signal")));
      }
    };
  }

  Runnable exec(ContainerRef id, ExecProcess.Target t, int signal, Reply<Void> reply) {
    return () -> {
      try {
        runtime.signalProcess(id, t.execId(), t.pid(), t.startTime(), signal);
        notifier.publish(AnswerTask.ok(reply, null));
      } catch (RuntimeException e) {
        String what = "container " + id + ": signal " + t.execId();
        notifier.publish(AnswerTask.failed(reply, CorralException.wrap(e, what)));
      }
    };
  }
}
