package dev.corral.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The CLI's own terminal (its stdin), through {@code stty}: the JDK has no termios. Each {@code
 * stty} runs with the CLI's stdin as its own, so it acts on that terminal. {@link #raw} saves the
 * settings first and registers a shutdown hook, so the terminal is restored however the CLI ends
 * (normal return, exception, SIGTERM, SIGHUP; only SIGKILL escapes).
 *
 * <p>Thread-safe: {@link #restore} may race between the command's thread and the shutdown hook and
 * runs once; {@link #size} is called by the resize thread.
 */
final class Terminal {
  /** A terminal size in characters. */
  record Size(int rows, int cols) {}

  private final String saved;
  private final AtomicBoolean raw = new AtomicBoolean();

  private Terminal(String saved) {
    this.saved = saved;
  }

  /** The terminal on stdin, or null when stdin is not a terminal ({@code stty -g} refuses it). */
  static Terminal ofStdin() {
    Stty s = stty("-g");
    return s.code() == 0 ? new Terminal(s.out().strip()) : null;
  }

  /**
   * No echo, no line editing, no signal characters (Ctrl-C is a byte for the process), no output
   * processing: the process's pty does all that.
   */
  void raw() {
    if (raw.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::restore, "corral-stty-restore"));
      stty("raw", "-echo").require();
    }
  }

  /** Puts back the settings saved before {@link #raw}; a no-op unless raw and not yet restored. */
  void restore() {
    if (raw.compareAndSet(true, false)) {
      stty(saved).require();
    }
  }

  /** The size of the terminal on stdin, or null when stdin is not a terminal. */
  static Size sizeOfStdin() {
    Terminal t = ofStdin();
    return t == null ? null : t.size();
  }

  /** {@code stty size}; null when it fails (the terminal went away) or reports 0x0. */
  Size size() {
    Stty s = stty("size");
    String[] rc = s.out().strip().split(" ");
    if (s.code() != 0 || rc.length != 2 || !rc[0].matches("\\d+") || !rc[1].matches("\\d+")) {
      return null;
    }
    Size size = new Size(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
    return size.rows() > 0 && size.cols() > 0 ? size : null;
  }

  /** One stty run: exit code, stdout, stderr. */
  private record Stty(String arg, int code, String out, String err) {
    void require() {
      if (code != 0) {
        throw new CliException("stty " + arg + " failed (" + code + "): " + err.strip());
      }
    }
  }

  private static Stty stty(String... args) {
    ProcessBuilder pb = new ProcessBuilder("stty");
    pb.command().addAll(java.util.List.of(args));
    pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Stty(String.join(" ", args), p.waitFor(), out, err);
    } catch (IOException e) {
      throw new CliException("cannot run stty: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while running stty");
    }
  }
}
