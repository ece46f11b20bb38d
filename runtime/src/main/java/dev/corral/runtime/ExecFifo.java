package dev.corral.runtime;

import dev.corral.core.CorralException;
import dev.corral.runtime.sys.Fds;
import dev.corral.runtime.sys.Pidfd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runc start} without starting runc. A created container's init ({@code runc init}, already
 * in the container's namespaces and cgroup) waits in {@code open(O_WRONLY)} of the FIFO {@code
 * ROOT/ID/exec.fifo} of runc's state; it writes one byte once a reader opens it and then execs the
 * container's process. {@code runc start} is that reader: it opens the FIFO, reads the byte and
 * removes the FIFO (after which {@code runc state} says "running"). Nothing else: runc 1.1 runs the
 * poststart hooks in {@code runc create}. Doing the same here saves a Go process per start (about
 * 5.5 ms of a 28 ms {@code runc run -d} on the development machine).
 *
 * <p>Where anything is not as expected (no FIFO: a runtime that is not runc, or a container that is
 * not in the created state; the init gone before it took the byte), {@link #start} reports it and
 * the caller runs {@code runc start}, whose own checks and messages then apply.
 *
 * <p>Stateless; blocks the calling thread (a worker) until the init took the byte.
 */
final class ExecFifo {
  private static final Logger LOG = LoggerFactory.getLogger(ExecFifo.class);

  /** The FIFO's name in runc's state dir of the container (runc 1.0 and later). */
  static final String NAME = "exec.fifo";

  /** How often a wait checks the thread's interrupt flag. */
  private static final long SLICE_NANOS = 100_000_000L;

  /** What {@link #start} did. */
  enum Outcome {
    /** The init took the byte and execs the container's process; the FIFO is removed. */
    STARTED,
    /** Nothing was done: the caller must run {@code runc start}. */
    NOT_HANDLED
  }

  private ExecFifo() {}

  /**
   * Releases the init waiting on {@code fifo}.
   *
   * @param what names the container in messages
   * @param initPid the init, as conmon reported it
   * @param initStartTime its start time, or {@link Created#UNKNOWN}
   * @param deadlineNanos {@link System#nanoTime} by which the init must have taken the byte
   */
  static Outcome start(
      String what, Path fifo, int initPid, long initStartTime, long deadlineNanos) {
    int init = Pidfd.open(initPid);
    if (init == Pidfd.NO_PROCESS) {
      return Outcome.NOT_HANDLED;
    }
    try {
      if (initStartTime != Created.UNKNOWN) {
        OptionalLong now = ProcStat.startTime(initPid);
        if (now.isEmpty() || now.getAsLong() != initStartTime) {
          return Outcome.NOT_HANDLED; // the pid is another process's now: the init is gone
        }
      }
      int fd = Fds.tryOpenReadNonBlocking(fifo.toString());
      if (fd < 0) {
        if (Fds.isNoEntry(fd)) {
          return Outcome.NOT_HANDLED;
        }
        throw CorralException.internal(
            null, "%s: start: open %s failed (-errno %d)", what, fifo, fd);
      }
      try {
        return take(what, fifo, fd, init, deadlineNanos);
      } finally {
        Fds.close(fd);
      }
    } finally {
      Fds.close(init);
    }
  }

  private static Outcome take(String what, Path fifo, int fd, int init, long deadlineNanos) {
    byte[] buf = new byte[16];
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw CorralException.internal(null, "%s: start: interrupted", what);
      }
      long slice = Math.min(deadlineNanos, System.nanoTime() + SLICE_NANOS);
      int ready = Fds.awaitAny(slice, fd, init);
      if (ready == 0) {
        int n = Fds.readSome(fd, buf, what + ": read " + fifo);
        if (n > 0) {
          remove(fifo);
          return Outcome.STARTED;
        }
        if (n == 0) {
          // The writer closed without writing: runc init failed after opening the FIFO.
          throw CorralException.internal(
              null, "%s: start: the container's init closed %s without starting", what, NAME);
        }
        continue; // readable but nothing to read yet
      }
      if (ready == 1) {
        // The init died. Like runc, still take a byte it wrote before it died; else runc start.
        if (Fds.readSome(fd, buf, what + ": read " + fifo) > 0) {
          remove(fifo);
          return Outcome.STARTED;
        }
        return Outcome.NOT_HANDLED;
      }
      if (System.nanoTime() - deadlineNanos >= 0) {
        throw CorralException.internal(
            null, "%s: start: the container's init did not open %s in time", what, NAME);
      }
    }
  }

  /**
   * runc's "created" means that the FIFO exists. The container runs whatever happens here, so a
   * failure is logged, not thrown: {@code runc state} would then say "created" for a running one.
   */
  private static void remove(Path fifo) {
    try {
      Files.deleteIfExists(fifo);
    } catch (IOException e) {
      LOG.warn("remove {}: {}", fifo, e.toString());
    }
  }
}
