package dev.corral.runtime;

import static dev.corral.runtime.PosixSpawn.LIBC;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * An anonymous pipe made with {@code pipe2(O_CLOEXEC)}, so that no other child this JVM starts
 * (ProcessBuilder, another spawn) inherits it; {@link Spawner} dup2s an end into the one child that
 * should have it. Reads wait with poll, so a silent writer cannot hang the caller.
 *
 * <p>Not thread-safe: one thread owns a pipe from {@link #open} to {@link #close}.
 */
final class Pipe implements AutoCloseable {
  private int readFd; // the owning thread (see class doc); -1 once closed
  private int writeFd; // the owning thread (see class doc); -1 once closed

  private Pipe(int readFd, int writeFd) {
    this.readFd = readFd;
    this.writeFd = writeFd;
  }

  static Pipe open() {
    int[] fds = new int[2];
    PosixSpawn.checkResult(LIBC.pipe2(fds, PosixSpawn.O_CLOEXEC), "pipe2");
    return new Pipe(fds[0], fds[1]);
  }

  int readFd() {
    return readFd;
  }

  int writeFd() {
    return writeFd;
  }

  void closeRead() {
    readFd = closeQuietly(readFd);
  }

  void closeWrite() {
    writeFd = closeQuietly(writeFd);
  }

  @Override
  public void close() {
    closeRead();
    closeWrite();
  }

  /** Writes one byte to the write end. */
  void writeByte() {
    byte[] one = {0};
    while (LIBC.write(writeFd, one, 1) < 0) {
      retryOnlyOnEintr("write to pipe");
    }
  }

  /**
   * Reads up to the first newline. Empty when the deadline ({@link System#nanoTime} based) passes
   * first; the text read so far when the writer closes without a newline.
   */
  Optional<String> readLine(long deadlineNanos) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] one = new byte[1];
    while (awaitReadable(deadlineNanos)) {
      long n = LIBC.read(readFd, one, 1);
      if (n == 0 || (n == 1 && one[0] == '\n')) {
        return Optional.of(line.toString(StandardCharsets.UTF_8));
      }
      if (n == 1) {
        line.write(one[0]);
      } else {
        retryOnlyOnEintr("read from pipe");
      }
    }
    return Optional.empty();
  }

  private boolean awaitReadable(long deadlineNanos) {
    Pointer pollfd = Memory.allocateDirect(PosixSpawn.RUNTIME, 8, true);
    pollfd.putInt(0, readFd);
    pollfd.putShort(4, PosixSpawn.POLLIN);
    while (true) {
      long millis = Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
      int r = LIBC.poll(pollfd, 1, (int) Math.min(millis, Integer.MAX_VALUE));
      if (r > 0) {
        return true; // readable, or hung up: read() tells which
      }
      if (r == 0) {
        return false;
      }
      retryOnlyOnEintr("poll pipe");
    }
  }

  private static void retryOnlyOnEintr(String what) {
    int errno = PosixSpawn.lastErrno();
    if (errno != PosixSpawn.EINTR) {
      throw PosixSpawn.failure(errno, what);
    }
  }

  private static int closeQuietly(int fd) {
    if (fd >= 0) {
      LIBC.close(fd); // Linux frees the fd even when close fails, so never retry
    }
    return -1;
  }
}
