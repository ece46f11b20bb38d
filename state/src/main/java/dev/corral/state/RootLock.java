package dev.corral.state;

import dev.corral.core.CorralException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon per root: an exclusive lock on {@code ROOT/corrald.lock} (fcntl, through {@link
 * FileChannel#tryLock()}), taken before recovery and held while the daemon runs. A second daemon on
 * the same root would otherwise recover and sweep what the first one is supervising. The kernel
 * releases the lock when its holder dies, SIGKILL included, so a crashed daemon never leaves a
 * stale lock. The file holds the holder's pid, for the refusal's message; it is never removed
 * (removing it would let two daemons lock two different files).
 *
 * <p>Taken and released by the thread that starts and closes the daemon.
 */
public final class RootLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RootLock.class);
  static final String FILE = "corrald.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private RootLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code root} (which must exist) for this process.
   *
   * @throws CorralException failed_precondition naming the holder's pid when another daemon (or
   *     this process, already) holds it
   */
  public static RootLock acquire(Path root) throws IOException {
    Path file = root.resolve(FILE);
    FileChannel ch =
        FileChannel.open(
            file,
            java.util.Set.of(
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this JVM holds it already
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      throw CorralException.failedPrecondition(
          "root %s: in use by another corrald (pid %s); run one daemon per root",
          root, holder(file));
    }
    try {
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
    } catch (IOException e) {
      lock.release();
      ch.close();
      throw e;
    }
    return new RootLock(ch, lock);
  }

  private static String holder(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return pid.matches("\\d{1,10}") ? pid : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Releases the lock; the next daemon may take the root. */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // Closing the channel releases the lock in any case; nothing is left to undo.
      log.warn("releasing {}: {}", FILE, e.getMessage());
    }
  }
}
