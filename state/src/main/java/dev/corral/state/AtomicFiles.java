package dev.corral.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes small files so that a reader, or a daemon restarted after a crash, sees either the old
 * content or the new one, never a mix: write a temp file beside the target, fsync it, rename it
 * over the target, fsync the directory so the rename itself is durable.
 *
 * <p>Stateless; usable from any thread, but two writers of one path must be serialized by the
 * caller (the temp name is per target).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code content}. A failed write names the file (the JDK's write
   * error does not), so a full disk is reported with its path.
   */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    try {
      writeTemp(tmp, content);
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      Files.deleteIfExists(tmp); // frees what a partial write took
      FileSystemException named = new FileSystemException(tmp.toString(), null, e.getMessage());
      named.initCause(e);
      throw named;
    }
    move(tmp, target);
    fsyncDir(dir);
  }

  /**
   * Replaces {@code target} with {@code content} through a temp file and a rename, without any
   * fsync: for files under {@code --state}, a tmpfs that a crash of the daemon leaves intact and a
   * reboot empties anyway, so a sync there would buy nothing. A reader still never sees a mix.
   */
  public static void replace(Path target, byte[] content) throws IOException {
    Path tmp = target.toAbsolutePath().getParent().resolve("." + target.getFileName() + ".tmp");
    try {
      Files.write(tmp, content);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    move(tmp, target);
  }

  private static void writeTemp(Path tmp, byte[] content) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Makes a rename or create in {@code dir} durable (Linux allows fsync on a dir fd). */
  public static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
