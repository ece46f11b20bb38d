package dev.corral.runtime;

import dev.corral.core.CorralException;
import dev.corral.runtime.sys.ExitStatus;
import dev.corral.runtime.sys.MemFile;
import dev.corral.runtime.sys.Spawner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one short-lived helper (a runc verb, {@code conmon --version}) with our posix_spawn binding
 * and waits on a pidfd: no JVM fork (ProcessBuilder goes through jspawnhelper, about 1 ms a call)
 * and no reaper thread. The child gets stdin on /dev/null, stdout and stderr on memfds (not pipes:
 * a grandchild that keeps a pipe open could hang the reader past the child's exit), the JVM's
 * environment and working directory, and no other fd. It is killed when it outlives its timeout.
 *
 * <p>Stateless; usable from any thread.
 */
final class Exec {
  /** How a helper ended, with its whole stdout and stderr, and what it wrote to fd 3 if asked. */
  record Result(int exitCode, String stdout, String stderr, String fd3) {
    Result(int exitCode, String stdout, String stderr) {
      this(exitCode, stdout, stderr, "");
    }
  }

  /** A path the child can open to write to its fd 3, a memfd of ours ({@link #runWithFd3}). */
  static final String FD3 = "/proc/self/fd/3";

  private static final Path CWD = Path.of(System.getProperty("user.dir"));

  private Exec() {}

  /**
   * Runs {@code argv} to completion.
   *
   * @param context what the call is for, first in error messages ({@code container c1: runc start})
   * @throws CorralException deadline_exceeded when the timeout passes (the child is killed),
   *     internal when it cannot be started
   */
  static Result run(String context, List<String> argv, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (MemFile out = MemFile.create("stdout");
        MemFile err = MemFile.create("stderr")) {
      int pid = spawn(context, argv, Map.of(1, out.fd(), 2, err.fd()));
      ExitStatus status = awaitOrKill(pid, context, timeout, deadline);
      return new Result(exitCode(status), out.readAll(), err.readAll());
    }
  }

  /**
   * As {@link #run}, with a third memfd on the child's fd 3, which it opens as {@link #FD3}: where
   * runc writes its log. A memfd instead of a temp file leaves nothing on any disk, even when the
   * daemon is killed mid-call.
   */
  static Result runWithFd3(String context, List<String> argv, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (MemFile out = MemFile.create("stdout");
        MemFile err = MemFile.create("stderr");
        MemFile fd3 = MemFile.create("log")) {
      int pid = spawn(context, argv, Map.of(1, out.fd(), 2, err.fd(), 3, fd3.fd()));
      ExitStatus status = awaitOrKill(pid, context, timeout, deadline);
      return new Result(exitCode(status), out.readAll(), err.readAll(), fd3.readAll());
    }
  }

  private static int spawn(String context, List<String> argv, Map<Integer, Integer> fds) {
    try {
      return Spawner.spawn(argv, System.getenv(), CWD, fds);
    } catch (CorralException e) {
      throw CorralException.internal(e, "%s: %s", context, e.getMessage());
    }
  }

  private static ExitStatus awaitOrKill(int pid, String context, Duration timeout, long deadline) {
    Optional<ExitStatus> status = Spawner.await(pid, deadline);
    if (status.isPresent()) {
      return status.get();
    }
    Spawner.killAndReap(pid);
    if (Thread.currentThread().isInterrupted()) {
      throw CorralException.internal(null, "%s: interrupted", context);
    }
    throw CorralException.deadlineExceeded(
        "%s: timed out after %d ms", context, timeout.toMillis());
  }

  /** What Process.exitValue said, which callers and messages rely on: 128+n for a signal. */
  private static int exitCode(ExitStatus status) {
    return status.exited() ? status.exitCode() : 128 + status.signal();
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stale temp file is harmless; the error that brought us here matters more
    }
  }

  /** The first line of {@code text}, without its newline. */
  static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).trim();
  }
}
