package dev.corral.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated bash completion, run by real bash: picocli's part and corral's hook, which asks a
 * stand-in {@code corral} (a script that records its arguments) for container ids.
 */
class CompletionTest {
  @TempDir Path dir;

  /** What bash completes for {@code words} (the last is the word being completed). */
  private String complete(Path socket, String... words) throws Exception {
    StringWriter script = new StringWriter();
    Main.execute(
        new String[] {"generate-completion"},
        new PrintWriter(script),
        new PrintWriter(new StringWriter()),
        Map.of());
    Path file = dir.resolve("corral.bash");
    Files.writeString(file, script.toString());
    Path fake = dir.resolve("corral");
    Files.writeString(
        fake, "#!/bin/sh\necho \"$@\" > \"$0.args\"\nprintf 'web\\nworker\\ndb\\n'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    StringBuilder w = new StringBuilder("COMP_WORDS=(" + fake);
    for (String word : words) {
      w.append(" '").append(word).append('\'');
    }
    String line =
        "source "
            + file
            + "; "
            + w
            + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=\"${COMP_WORDS[*]}\";"
            + " _complete_corral_with_ids 2>/dev/null; echo \"${COMPREPLY[*]}\"";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true);
    pb.environment().put("CORRAL_SOCKET", socket.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.strip();
  }

  @Test
  void containerIdsComeFromTheDaemonWhereACommandTakesThem() throws Exception {
    Path sock = dir.resolve("d.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock));
      assertEquals("web worker db", complete(sock, "kill", ""));
      assertEquals(
          "--socket " + sock + " ps -aq", Files.readString(dir.resolve("corral.args")).strip());
      assertEquals("web worker", complete(sock, "kill", "db", "w"));
      assertEquals("web worker db", complete(sock, "exec", "-e", "A=1", ""));
      assertEquals("", complete(sock, "exec", "web", "")); // the command's words are not ids
      assertEquals("", complete(sock, "exec", "-e", "")); // the value of -e
      assertEquals("db", complete(sock, "checkpoint", "ls", "d"));
      assertEquals("", complete(sock, "ps", ""));
      assertEquals("kill", complete(sock, "ki"));
    }
  }

  @Test
  void namesComeFromTheNamespaceTheLineNames() throws Exception {
    Path sock = dir.resolve("d.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock));
      assertEquals("web worker db", complete(sock, "-n", "team", "kill", ""));
      assertEquals(
          "--socket " + sock + " --namespace team ps -aq",
          Files.readString(dir.resolve("corral.args")).strip());
      assertEquals("web worker db", complete(sock, "kill", "--namespace", "team", "db", ""));
      assertEquals(
          "--socket " + sock + " --namespace team ps -aq",
          Files.readString(dir.resolve("corral.args")).strip());
      assertEquals("kill", complete(sock, "-n", "team", "ki"));
    }
  }

  @Test
  void podUidsAndNamespacesAreCompletedWhereTheyAreTaken() throws Exception {
    Path sock = dir.resolve("d.sock");
    Path args = dir.resolve("corral.args");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock));
      assertEquals("web worker", complete(sock, "pod", "rm", "-f", "w"));
      assertEquals("--socket " + sock + " pod ls -aq", Files.readString(args).strip());
      assertEquals("db", complete(sock, "run", "--pod", "d"));
      assertEquals("--socket " + sock + " pod ls -aq", Files.readString(args).strip());
      assertEquals("web worker db", complete(sock, "namespace", "rm", "web", ""));
      assertEquals("--socket " + sock + " namespace ls -q", Files.readString(args).strip());
      assertEquals("worker", complete(sock, "-n", "wo"));
      assertEquals("--socket " + sock + " namespace ls -q", Files.readString(args).strip());
      Files.delete(args);
      assertEquals("", complete(sock, "pod", "create", "")); // NAME is new: nothing to offer
      assertEquals("", complete(sock, "namespace", "ls", ""));
      assertTrue(!Files.exists(args), "corral ran for a command that takes no names");
    }
  }

  @Test
  void noSocketMeansNoIdsAndNoError() throws Exception {
    Path absent = dir.resolve("absent.sock");
    assertEquals("", complete(absent, "kill", ""));
    assertTrue(!Files.exists(dir.resolve("corral.args")), "corral ran without a daemon");
    List<String> options = List.of(complete(absent, "kill", "--").split(" "));
    assertTrue(options.containsAll(List.of("--all", "--signal", "--help")), options.toString());
  }
}
