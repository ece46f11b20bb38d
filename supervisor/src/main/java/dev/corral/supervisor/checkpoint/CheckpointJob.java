package dev.corral.supervisor.checkpoint;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Timestamps;
import dev.corral.metrics.MetricCatalog;
import dev.corral.metrics.Operation;
import dev.corral.runtime.CheckpointOptions;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.state.StateDir;
import dev.corral.supervisor.task.AnswerTask;
import dev.corral.supervisor.task.CheckpointResultTask;
import dev.corral.supervisor.task.CheckpointView;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.thread.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The blocking half of {@link CheckpointHandler}, on worker threads: the file and CRIU work of
 * checkpoints, each answered through a task the loop handles. Each checkpoint is an image dir
 * {@code containers/ID/checkpoints/NAME}, which also holds CRIU's dump.log.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class CheckpointJob {
  private final ContainerRuntime runtime;
  private final Notifier notifier;
  private final StateDir state;

  private final MetricCatalog metrics;

  public CheckpointJob(
      ContainerRuntime runtime, Notifier notifier, StateDir state, MetricCatalog metrics) {
    this.runtime = runtime;
    this.notifier = notifier;
    this.state = state;
    this.metrics = metrics;
  }

  /** runc checkpoint into a fresh image dir; a failure removes the dir and changes nothing. */
  Runnable checkpoint(ContainerRef id, String name, CheckpointOptions options) {
    return () -> {
      Path dir = state.paths(id).checkpoint(name);
      boolean ours = false;
      try {
        if (Files.exists(dir)) {
          throw CorralException.alreadyExists(
              "container %s: checkpoint %s: already exists", id, name);
        }
        Files.createDirectories(dir);
        ours = true;
        metrics.operation(Operation.CHECKPOINT).time(() -> runtime.checkpoint(id, dir, options));
        notifier.publish(new CheckpointResultTask(id, view(dir), null));
      } catch (RuntimeException | IOException e) {
        if (ours) {
          removeQuietly(dir);
        }
        String what = "container " + id + ": checkpoint " + name;
        notifier.publish(new CheckpointResultTask(id, null, CorralException.wrap(e, what)));
      }
    };
  }

  Runnable delete(ContainerRef id, String name, Reply<Void> reply) {
    return () -> {
      Path dir = state.paths(id).checkpoint(name);
      if (!Files.isDirectory(dir)) {
        notifier.publish(
            AnswerTask.failed(
                reply,
                CorralException.notFound("container %s: checkpoint %s: not found", id, name)));
        return;
      }
      removeQuietly(dir);
      notifier.publish(AnswerTask.ok(reply, null));
    };
  }

  Runnable list(ContainerRef id, Reply<List<CheckpointView>> reply) {
    return () -> {
      Path root = state.paths(id).checkpoint("x").getParent();
      try (Stream<Path> dirs = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
        List<CheckpointView> views =
            dirs.sorted().map(CheckpointJob::viewQuietly).filter(v -> v != null).toList();
        notifier.publish(AnswerTask.ok(reply, views));
      } catch (IOException | RuntimeException e) {
        String what = "container " + id + ": checkpoints";
        notifier.publish(AnswerTask.failed(reply, CorralException.wrap(e, what)));
      }
    };
  }

  private static CheckpointView view(Path dir) throws IOException {
    return new CheckpointView(
        dir.getFileName().toString(),
        dir.toString(),
        Timestamps.format(Files.getLastModifiedTime(dir).toInstant()));
  }

  private static CheckpointView viewQuietly(Path dir) {
    try {
      return view(dir);
    } catch (IOException e) {
      return null; // removed while we listed
    }
  }

  private static void removeQuietly(Path dir) {
    try {
      StateDir.removeTree(dir);
    } catch (IOException e) {
      // best effort: a leftover image dir is only disk space, and the container's delete removes it
    }
  }
}
