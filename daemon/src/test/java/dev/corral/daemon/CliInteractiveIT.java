package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code corral exec -i/-t} and {@code run -i/-t} as a user runs them: {@code scripts/corral} in
 * its own JVM, with stdin from a pipe, or under util-linux {@code script}, which gives it a real
 * terminal (a pty) whose settings the test reads back with {@code stty -a} afterwards.
 */
class CliInteractiveIT extends SharedDaemon {
  static final String BOX = "cli-it";
  static Path rootfs;

  /** What one CLI (or script) process printed, and how it exited. */
  record Result(int code, String out, String err) {}

  @BeforeAll
  static void runAContainer() throws Exception {
    rootfs = Fixtures.bundle(dir.resolve("busybox")).resolve("rootfs");
    Result r =
        run("", corral("run", "-d", "--rootfs", rootfs.toString(), "--name", BOX, "sleep", "1d"));
    assertEquals(0, r.code(), r.err());
  }

  static List<String> corral(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Fixtures.scripts().resolve("corral").toString());
    cmd.add("--socket");
    cmd.add(daemon.socket.toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** A shell command line that runs {@code scripts/corral ARGS} (each argument single-quoted). */
  static String shell(List<String> cmd) {
    StringBuilder sb = new StringBuilder();
    for (String a : cmd) {
      sb.append(" '").append(a.replace("'", "'\\''")).append('\'');
    }
    return sb.toString().strip();
  }

  /**
   * Runs {@code cmd} with {@code input} on its stdin. With {@code keepStdinOpen} the pipe stays
   * open until the process ends, so only the process decides when it is done.
   */
  static Result run(String input, List<String> cmd, boolean keepStdinOpen) throws Exception {
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    OutputStream in = p.getOutputStream();
    in.write(input.getBytes(StandardCharsets.UTF_8));
    in.flush();
    if (!keepStdinOpen) {
      in.close();
    }
    String out = readAll(p.getInputStream());
    if (!p.waitFor(5, TimeUnit.MINUTES)) { // a hang guard, not a timing assertion
      p.destroyForcibly();
      throw new AssertionError("still running: " + cmd + "\nout: " + out);
    }
    in.close();
    return new Result(p.exitValue(), out, err.get());
  }

  static Result run(String input, List<String> cmd) throws Exception {
    return run(input, cmd, false);
  }

  /** {@code sh -c LINE} under {@code script}: a pty as its terminal, the output as the pty's. */
  static Result underPty(String line, String input) throws Exception {
    return run(input, List.of("script", "-qec", line, "/dev/null"), true);
  }

  private static String readAll(java.io.InputStream s) {
    try {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void interactiveCopiesStdinToTheProcessAndEndsItWithEof() throws Exception {
    Result cat = run("hello\n", corral("exec", "-i", BOX, "cat"));
    assertEquals(0, cat.code(), cat.err());
    assertEquals("hello\n", cat.out());
    assertEquals("", cat.err());
  }

  @Test
  void interactiveExitsWithTheProcessesCode() throws Exception {
    Result r =
        run("corral\n", corral("exec", "-i", BOX, "--", "sh", "-c", "read l; echo got-$l; exit 3"));
    assertEquals(3, r.code(), r.err());
    assertEquals("got-corral\n", r.out());
  }

  /** The pipe ends before the process reads: its input is still there, then EOF. */
  @Test
  void interactiveRunFeedsTheContainersInit() throws Exception {
    Result r =
        run(
            "one\ntwo\n",
            corral(
                "run",
                "--rm",
                "-i",
                "--rootfs",
                rootfs.toString(),
                "--name",
                "cli-it-run",
                "wc",
                "-l"));
    assertEquals(0, r.code(), r.err());
    assertEquals("2", r.out().strip());
  }

  /** Like podman: a warning, then a pty and stdin without raw mode or sizes. */
  @Test
  void ttyWithoutATerminalWarnsAndStillRunsOnAPty() throws Exception {
    Result r =
        run(
            "x\n",
            corral("exec", "-it", BOX, "--", "sh", "-c", "read l; test -t 0 && echo on-a-tty"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("on-a-tty\r\n"), r.out()); // the pty's own newline mapping
    assertTrue(r.err().contains("the input device is not a TTY"), r.err());
  }

  /**
   * A shell on a pty from a real terminal: the input reaches it, its exit code is corral's, and the
   * terminal is cooked again afterwards ({@code echo} and {@code icanon} back on).
   */
  @Test
  void ttySessionRunsAShellAndRestoresTheTerminal() throws Exception {
    String line = shell(corral("exec", "-it", BOX, "sh")) + "; echo corral=$?; stty -a";
    // h""i-there: the terminal echoes the line as typed; only the shell's output reads hi-there
    Result r = underPty(line, "echo h\"\"i-there; exit 4\n");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("hi-there"), r.out());
    assertTrue(r.out().contains("corral=4"), r.out());
    String settings = r.out().substring(r.out().indexOf("corral=4"));
    assertTrue(Pattern.compile("(^|\\s)echo(\\s|$)", Pattern.MULTILINE).matcher(settings).find());
    assertTrue(
        Pattern.compile("(^|\\s)icanon(\\s|$)", Pattern.MULTILINE).matcher(settings).find(),
        settings);
  }

  /** The size goes to the pty before stdin is attached, so the line read proves it arrived. */
  @Test
  void ttyGivesTheProcessTheTerminalsSize() throws Exception {
    String line =
        "stty rows 33 cols 101; "
            + shell(corral("exec", "-it", BOX, "--", "sh", "-c", "read l; echo size=$(stty size)"))
            + "; echo corral=$?";
    Result r = underPty(line, "go\n");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("size=33 101"), r.out());
    assertTrue(r.out().contains("corral=0"), r.out());
  }

  /** Without -i nothing waits for the resize: the size must be the pty's from its first byte. */
  @Test
  void ttyExecStartsAtTheTerminalsSize() throws Exception {
    String line =
        "stty rows 29 cols 97; "
            + shell(corral("exec", "-t", BOX, "--", "stty", "size"))
            + "; echo corral=$?";
    Result r = underPty(line, "");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("29 97"), r.out());
    assertTrue(r.out().contains("corral=0"), r.out());
  }
}
