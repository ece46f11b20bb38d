package dev.corral.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Option;

/**
 * {@code -i} and {@code -t}, which {@code exec} and {@code run} share: what they add to the request
 * body ({@code stdin}, {@code terminal}), and the {@link Session} that serves them in the
 * foreground.
 *
 * <p>Filled by picocli on the main thread; one instance per invocation.
 */
final class StdioFlags {
  @Option(
      names = {"-i", "--interactive"},
      description = "Keep stdin open and copy corral's stdin to the process.")
  boolean interactive;

  @Option(
      names = {"-t", "--tty"},
      description =
          "Run on a pty. With -i and a terminal on stdin, that terminal is raw meanwhile"
              + " (Ctrl-C goes to the process); the pty follows its size.")
  boolean tty;

  /** Sets {@code stdin} and {@code terminal} in a request body, only when asked for. */
  void addTo(JsonObject body) {
    if (interactive) {
      body.addProperty("stdin", true);
    }
    if (tty) {
      body.addProperty("terminal", true);
    }
  }
}
