package dev.corral.supervisor.io;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.SeqPacketSocket;
import dev.corral.supervisor.task.AnswerTask;
import dev.corral.supervisor.task.AttachChannel;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.thread.Reply;

/**
 * The blocking half of {@link AttachHandler}, on worker threads: connects conmon's attach socket of
 * the process and publishes the connected channel as an {@link AnswerTask}.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class AttachJob {
  private final ContainerRuntime runtime;
  private final Notifier notifier;

  public AttachJob(ContainerRuntime runtime, Notifier notifier) {
    this.runtime = runtime;
    this.notifier = notifier;
  }

  Runnable connect(ContainerRef id, String processId, Reply<AttachChannel> reply) {
    return () -> {
      String execId = Ids.INIT.equals(processId) ? null : processId;
      AttachChannel channel;
      try {
        channel =
            new ConmonAttachChannel(SeqPacketSocket.connect(runtime.attachSocket(id, execId)));
      } catch (RuntimeException e) {
        String what = "container " + id + ": process " + processId + ": attach";
        notifier.publish(AnswerTask.failed(reply, CorralException.wrap(e, what)));
        return;
      }
      notifier.publish(AnswerTask.ok(reply, channel));
    };
  }
}
