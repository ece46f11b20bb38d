package dev.corral.runtime;

import dev.corral.core.CorralException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one short-lived helper (runc, {@code conmon --version}) through ProcessBuilder, which closes
 * every inherited fd in the child. stdout and stderr go to temp files rather than pipes: a
 * grandchild that keeps a pipe open could otherwise hang the reader past the child's exit. The
 * child is killed when it outlives its timeout.
 *
 * <p>Stateless; usable from any thread.
 */
final class Exec {
  /** How a helper ended, with its whole stdout and stderr. */
  record Result(int exitCode, String stdout, String stderr) {}

  private Exec() {}

  /**
   * Runs {@code argv} to completion.
   *
   * @param context what the call is for, first in error messages ({@code container c1: runc start})
   * @throws CorralException deadline_exceeded when the timeout passes (the child is killed),
   *     internal when it cannot be started
   */
  static Result run(String context, List<String> argv, Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("corral-exec-", ".out");
      err = Files.createTempFile("corral-exec-", ".err");
      Process p = start(argv, out, err);
      awaitOrKill(p, context, timeout);
      return new Result(p.exitValue(), read(out), read(err));
    } catch (IOException e) {
      throw CorralException.internal(e, "%s: %s", context, e.getMessage());
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static Process start(List<String> argv, Path out, Path err) throws IOException {
    return new ProcessBuilder(argv)
        .redirectInput(new File("/dev/null"))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
  }

  private static void awaitOrKill(Process p, String context, Duration timeout) {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        throw CorralException.deadlineExceeded(
            "%s: timed out after %d ms", context, timeout.toMillis());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw CorralException.internal(e, "%s: interrupted", context);
    }
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
