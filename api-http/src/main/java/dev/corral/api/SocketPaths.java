package dev.corral.api;

import dev.corral.core.CorralException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code --socket}'s path ready to bind, refusing what is not ours to touch: a path longer
 * than sun_path, a file there that is not a socket (left intact), a live socket (another daemon), a
 * directory not owned by root, a shared sticky directory like /tmp. The directory is made 0750 (an
 * existing one too: a socket's 0660 means little in a 0777 directory), a stale socket removed.
 *
 * <p>Stateless; called by the daemon's main thread before the API starts.
 */
final class SocketPaths {
  private static final Logger log = LoggerFactory.getLogger(SocketPaths.class);

  /** sun_path is 108 bytes including the terminating NUL. */
  static final int MAX_SOCKET_PATH = 107;

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_ISVTX = 01000;

  private SocketPaths() {}

  /** Checks the length and the directory, and removes a stale socket. */
  static void prepare(Path socket) {
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      throw CorralException.invalidArgument(
          "socket: %s is longer than %d bytes", socket, MAX_SOCKET_PATH);
    }
    try {
      directory(socket.getParent());
      removeIfStale(socket);
    } catch (IOException e) {
      throw CorralException.failedPrecondition("socket %s: %s", socket, e.getMessage());
    }
  }

  private static void directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      chmod(dir, "rwxr-x---");
      return;
    }
    int owner = (Integer) Files.getAttribute(dir, "unix:uid");
    int mode = (Integer) Files.getAttribute(dir, "unix:mode");
    if (owner != 0) {
      throw CorralException.failedPrecondition(
          "socket: directory %s is owned by uid %d, not root; anyone owning it controls the socket",
          dir, owner);
    }
    if ((mode & S_ISVTX) != 0) {
      throw CorralException.failedPrecondition(
          "socket: directory %s is shared (sticky bit); give the socket a directory of its own",
          dir);
    }
    if ((mode & 0777) != 0750) {
      log.info("socket directory {}: mode {} -> 750", dir, Integer.toOctalString(mode & 0777));
      chmod(dir, "rwxr-x---");
    }
  }

  private static void removeIfStale(Path socket) throws IOException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw CorralException.failedPrecondition(
          "socket: %s exists and is not a socket; remove it or choose another --socket", socket);
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException refused) {
      log.info("removing stale socket {} ({})", socket, refused.getMessage());
      Files.delete(socket);
      return;
    }
    throw CorralException.failedPrecondition("socket %s: another daemon is serving on it", socket);
  }

  static void chmod(Path p, String perms) {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (IOException e) {
      throw CorralException.failedPrecondition("%s: chmod %s: %s", p, perms, e.getMessage());
    }
  }
}
