package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.core.Timestamps;
import dev.corral.runtime.CheckpointOptions;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.state.StateDir;
import dev.corral.supervisor.task.CheckpointResultTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file and CRIU work of checkpoints, on worker threads: each checkpoint is an image dir {@code
 * containers/ID/checkpoints/NAME}, which also holds CRIU's dump.log.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
final class CheckpointJobs {
  private final ContainerRuntime runtime;
  private final Notifier notifier;
  private final StateDir state;

  CheckpointJobs(ContainerRuntime runtime, Notifier notifier, StateDir state) {
    this.runtime = runtime;
    this.notifier = notifier;
    this.state = state;
  }

  /** runc checkpoint into a fresh image dir; a failure removes the dir and changes nothing. */
  Runnable checkpoint(String id, String name, CheckpointOptions options) {
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
        runtime.checkpoint(id, dir, options);
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

  Runnable delete(String id, String name, Reply<Void> reply) {
    return () -> {
      Path dir = state.paths(id).checkpoint(name);
      if (!Files.isDirectory(dir)) {
        reply.fail(CorralException.notFound("container %s: checkpoint %s: not found", id, name));
        return;
      }
      removeQuietly(dir);
      reply.complete(null);
    };
  }

  Runnable list(String id, Reply<List<CheckpointView>> reply) {
    return () -> {
      Path root = state.paths(id).checkpoint("x").getParent();
      try (Stream<Path> dirs = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
        reply.complete(
            dirs.sorted().map(CheckpointJobs::viewQuietly).filter(v -> v != null).toList());
      } catch (IOException | RuntimeException e) {
        reply.fail(CorralException.wrap(e, "container " + id + ": checkpoints"));
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
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // best effort: a leftover image dir is only disk space, and the container's delete removes it
    }
  }
}
