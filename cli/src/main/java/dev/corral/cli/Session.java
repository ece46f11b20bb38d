package dev.corral.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;

/**
 * The input side of a foreground {@code exec} or {@code run} with {@code -i} and/or {@code -t}.
 * Output is not its business: the command prints it from the process's log, as without these flags,
 * because the log holds every byte from the process's start while attach only sees what comes after
 * it connects, and the process runs from the moment it is created.
 *
 * <ul>
 *   <li>{@code -i}: attach to the process and copy stdin to it on the {@code corral-stdin} thread;
 *       at EOF, half-close, so the process sees EOF. A process already gone (409) needs no input.
 *   <li>{@code -t} with a terminal on stdin: send its size now, and again whenever it changes (the
 *       {@code corral-resize} thread runs {@code stty size} every 250 ms: the JDK's only SIGWINCH
 *       handler is {@code sun.misc.Signal}, an internal API that {@code -Xlint:all -Werror}
 *       refuses); with {@code -i} too, make the terminal raw until {@link #close}.
 *   <li>{@code -it} when stdin is not a terminal: warn, and go on with the pty and stdin, without
 *       raw mode or sizes (podman's behaviour; docker refuses).
 * </ul>
 *
 * <p>Opened and closed by the command's thread; its two threads end with it (or with the JVM).
 */
final class Session implements AutoCloseable {
  private static final long RESIZE_POLL_MILLIS = 250;

  private final Client client;
  private final String container;
  private final String pid;
  private Terminal terminal; // command's thread; then read-only
  private RawStream stdin; // command's thread; then read-only
  private Thread resizer; // command's thread

  private Session(Client client, String container, String pid) {
    this.client = client;
    this.container = container;
    this.pid = pid;
  }

  /**
   * Runs {@code body} (which prints the output and waits for the exit) inside a session for process
   * {@code pid} ("init" or an exec id) of {@code container}, reading {@code System.in}.
   */
  static <T> T around(
      Client c,
      String container,
      String pid,
      StdioFlags flags,
      PrintWriter err,
      java.util.function.Supplier<T> body) {
    Session s = start(c, container, pid, flags, System.in, err);
    try {
      return body.get();
    } finally {
      s.close();
    }
  }

  /** Starts what {@code flags} ask for, for process {@code pid}. */
  static Session start(
      Client c, String container, String pid, StdioFlags flags, InputStream in, PrintWriter err) {
    Session s = new Session(c, container, pid);
    try {
      s.begin(flags, in, err);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void begin(StdioFlags flags, InputStream in, PrintWriter err) {
    terminal = flags.tty ? Terminal.ofStdin() : null;
    if (flags.tty && flags.interactive && terminal == null) {
      err.println("corral: the input device is not a TTY: no raw mode, no terminal size");
      err.flush();
    }
    Terminal.Size size = terminal == null ? null : terminal.size();
    if (size != null) {
      resize(size);
    }
    if (flags.interactive) {
      stdin = client.attach(path("/attach?pid=" + pid));
      if (stdin != null) {
        if (terminal != null) {
          terminal.raw();
        }
        daemon("corral-stdin", () -> pump(in, stdin)).start();
      }
    }
    if (terminal != null) {
      resizer = daemon("corral-resize", () -> followSize(size));
      resizer.start();
    }
  }

  private String path(String rest) {
    return "/v1/containers/" + container + rest;
  }

  /** False once the process is gone (the daemon refuses to resize it). */
  private boolean resize(Terminal.Size size) {
    try {
      client.post(
          path("/processes/" + pid + "/resize"),
          "{\"height\":" + size.rows() + ",\"width\":" + size.cols() + "}");
      return true;
    } catch (CliException gone) {
      return false;
    }
  }

  private static void pump(InputStream in, RawStream to) {
    byte[] b = new byte[8192];
    try {
      for (int n; (n = in.read(b)) >= 0; ) {
        to.write(b, n);
      }
      to.closeInput();
    } catch (IOException e) {
      // the process exited (the daemon closed the stream) or stdin broke: nothing left to send
    }
  }

  private void followSize(Terminal.Size last) {
    try {
      while (true) {
        Thread.sleep(RESIZE_POLL_MILLIS);
        Terminal.Size now = terminal.size();
        if (now == null) {
          return; // the terminal went away
        }
        if (!now.equals(last)) {
          if (!resize(now)) {
            return;
          }
          last = now;
        }
      }
    } catch (InterruptedException | CliException e) {
      // the session is over
    }
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true); // a read of stdin cannot be interrupted; the JVM's exit ends it
    return t;
  }

  /** Stops the resize thread, closes the attach and restores the terminal. */
  @Override
  public void close() {
    if (resizer != null) {
      resizer.interrupt();
    }
    if (stdin != null) {
      stdin.close();
    }
    if (terminal != null) {
      terminal.restore();
    }
  }
}
