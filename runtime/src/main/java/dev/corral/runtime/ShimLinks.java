package dev.corral.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entries conmon leaves in its socket dir: {@code SOCKDIR/TOKEN} is a symlink to the bundle
 * given with {@code -b}. A container's bundle is {@code CONTAINER_DIR/bundle} and each exec's is
 * {@code CONTAINER_DIR/execs/EXEC}, so every link of one container points under the parent of the
 * init link's target.
 *
 * <p>Stateless; usable from any thread.
 */
final class ShimLinks {
  private static final Logger LOG = LoggerFactory.getLogger(ShimLinks.class);

  private ShimLinks() {}

  /** Removes the init's link {@code token} and every link that points into the same container. */
  static void removeAll(Path socketDir, String token) {
    Path init = socketDir.resolve(token);
    Path containerDir = containerDirOf(init);
    Exec.deleteQuietly(init);
    if (containerDir == null) {
      return;
    }
    for (Path link : list(socketDir)) {
      Path target = targetOf(link);
      if (target != null && target.startsWith(containerDir)) {
        Exec.deleteQuietly(link);
      }
    }
  }

  private static Path containerDirOf(Path initLink) {
    Path target = targetOf(initLink);
    return target == null ? null : target.getParent();
  }

  private static Path targetOf(Path link) {
    try {
      return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static List<Path> list(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.toList();
    } catch (IOException e) {
      LOG.warn("socket dir {}: cannot list: {}", dir, e.toString());
      return List.of();
    }
  }
}
