package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.FdCalls.LIB;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An anonymous pipe made with {@code pipe2(O_CLOEXEC)}, so that no other child this JVM starts
 * (ProcessBuilder, another spawn) inherits it; {@link Spawner} dup2s an end into the one child that
 * should have it. Reads wait with poll, so a silent writer cannot hang the caller.
 *
 * <p>Not thread-safe: one thread owns a pipe from {@link #open} to {@link #close}.
 */
public final class Pipe implements AutoCloseable {
  private int readFd; // the owning thread (see class doc); -1 once closed
  private int writeFd; // the owning thread (see class doc); -1 once closed

  private Pipe(int readFd, int writeFd) {
    this.readFd = readFd;
    this.writeFd = writeFd;
  }

  public static Pipe open() {
    int[] fds = new int[2];
    Errno.check(LIB.pipe2(fds, FdCalls.O_CLOEXEC), "pipe2");
    return new Pipe(fds[0], fds[1]);
  }

  public int readFd() {
    return readFd;
  }

  public int writeFd() {
    return writeFd;
  }

  public void closeRead() {
    readFd = closeQuietly(readFd);
  }

  public void closeWrite() {
    writeFd = closeQuietly(writeFd);
  }

  @Override
  public void close() {
    closeRead();
    closeWrite();
  }

  /** Writes one byte to the write end. */
  public void writeByte() {
    byte[] one = {0};
    while (LIB.write(writeFd, one, 1) < 0) {
      Errno.retryOnlyOnEintr("write to pipe");
    }
  }

  /**
   * Reads up to the first newline. Empty when the deadline ({@link System#nanoTime} based) passes
   * first; the text read so far when the writer closes without a newline.
   */
  public Optional<String> readLine(long deadlineNanos) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] one = new byte[1];
    while (Fds.awaitReadable(readFd, deadlineNanos)) {
      long n = LIB.read(readFd, one, 1);
      if (n == 0 || (n == 1 && one[0] == '\n')) {
        return Optional.of(line.toString(StandardCharsets.UTF_8));
      }
      if (n == 1) {
        line.write(one[0]);
      } else {
        Errno.retryOnlyOnEintr("read from pipe");
      }
    }
    return Optional.empty();
  }

  private static int closeQuietly(int fd) {
    if (fd >= 0) {
      LIB.close(fd); // Linux frees the fd even when close fails, so never retry
    }
    return -1;
  }
}
