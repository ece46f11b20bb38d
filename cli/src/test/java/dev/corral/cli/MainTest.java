package dev.corral.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  private record Result(int code, String out, String err) {}

  private static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), env);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void theSocketComesFromTheFlagThenTheEnvironmentThenTheDefault() {
    Main m = new Main(Map.of("CORRAL_SOCKET", "/env.sock"));
    assertEquals(Path.of("/env.sock"), m.socket());
    m.socket = Path.of("/flag.sock");
    assertEquals(Path.of("/flag.sock"), m.socket());
    assertEquals(Path.of(Main.DEFAULT_SOCKET), new Main(Map.of()).socket());
  }

  @Test
  void unknownCommandsAndFlagsAreUsageErrors() {
    Result r = run(Map.of(), "frobnicate");
    assertEquals(125, r.code());
    assertEquals("corral: 'frobnicate' is not a corral command\nSee 'corral --help'.\n", r.err());
    Result bogus = run(Map.of(), "ps", "--bogus");
    assertEquals(125, bogus.code());
    assertEquals("corral: Unknown option: '--bogus'\nSee 'corral ps --help'.\n", bogus.err());
    assertEquals("", bogus.out());
    Result both = run(Map.of(), "run", "--rootfs", "/r", "--bundle", "/b", "c");
    assertEquals(125, both.code());
    assertEquals(2, both.err().lines().count(), both.err());
    assertTrue(both.err().endsWith("See 'corral run --help'.\n"), both.err());
    Result nested = run(Map.of(), "checkpoint", "frob");
    assertEquals(
        "corral: 'frob' is not a corral checkpoint command",
        nested.err().lines().findFirst().orElseThrow());
  }

  @Test
  void anUnreachableDaemonIsNamedByItsSocket(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path sock = dir.resolve("absent.sock");
    Result r = run(Map.of("CORRAL_SOCKET", sock.toString()), "ps");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("corral: cannot connect to corrald at " + sock + " "), r.err());
  }

  @Test
  void helpListsTheCommandsButNotTheCompletionGenerator() {
    Result r = run(Map.of(), "--help");
    assertEquals(0, r.code());
    for (String c :
        new String[] {
          "run",
          "create",
          "ps",
          "inspect",
          "kill",
          "rm",
          "wait",
          "logs",
          "events",
          "info",
          "version",
          "pause",
          "resume",
          "update",
          "stats",
          "exec",
          "checkpoint",
          "pod",
          "namespace"
        }) {
      assertTrue(r.out().contains("  " + c + " "), c + " missing from:\n" + r.out());
    }
    assertTrue(!r.out().contains("generate-completion"), r.out());
  }

  @Test
  void completionScriptIsGenerated() {
    Result r = run(Map.of(), "generate-completion");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("complete -F _complete_corral"), r.out().substring(0, 200));
    for (String cmd : new String[] {"exec", "run"}) {
      String opts = r.out().substring(r.out().indexOf("function _picocli_corral_" + cmd + "()"));
      opts = opts.substring(0, opts.indexOf("\n}"));
      assertTrue(opts.contains("-i --interactive -t --tty"), cmd + ":\n" + opts);
    }
  }

  @Test
  void execAndRunHelpListTheStdioFlags() {
    for (String cmd : new String[] {"exec", "run"}) {
      Result r = run(Map.of(), cmd, "--help");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("-i, --interactive"), r.out());
      assertTrue(r.out().contains("-t, --tty"), r.out());
    }
  }

  @Test
  void pauseAndResumeGoOnPastAFailureAndExitOne(@org.junit.jupiter.api.io.TempDir Path dir) {
    Map<String, String> env = Map.of("CORRAL_SOCKET", dir.resolve("absent.sock").toString());
    for (String verb : new String[] {"pause", "resume"}) {
      Result r = run(env, verb, "c1", "bad/id");
      assertEquals(1, r.code(), r.err());
      assertEquals(2, r.err().lines().count(), r.err());
      assertTrue(
          r.err().lines().skip(1).findFirst().orElseThrow().startsWith("corral: id"), r.err());
      assertEquals("", r.out());
      assertEquals(125, run(env, verb).code()); // no id: usage error
    }
  }

  @Test
  void updateWithoutALimitIsAUsageError(@org.junit.jupiter.api.io.TempDir Path dir) {
    Result r = run(Map.of("CORRAL_SOCKET", dir.resolve("absent.sock").toString()), "update", "c1");
    assertEquals(125, r.code());
    assertTrue(r.err().contains("nothing to update"), r.err());
  }

  @Test
  void execFailuresOfCorralItselfExit125(@org.junit.jupiter.api.io.TempDir Path dir) {
    Map<String, String> env = Map.of("CORRAL_SOCKET", dir.resolve("absent.sock").toString());
    Result r = run(env, "exec", "c1", "--", "true");
    assertEquals(125, r.code());
    assertTrue(r.err().startsWith("corral: cannot connect to corrald"), r.err());
    Result user = run(env, "exec", "--user", "root", "c1", "--", "true");
    assertEquals(125, user.code());
    assertTrue(user.err().startsWith("corral: --user: 'root'"), user.err());
    assertEquals(125, run(env, "exec", "c1").code()); // no CMD
    Result dashesOnly = run(env, "exec", "c1", "--");
    assertEquals(125, dashesOnly.code());
    assertTrue(
        dashesOnly.err().startsWith("corral: Missing required parameter: 'CMD'"), dashesOnly.err());
  }

  @Test
  void checkpointSubcommandsNeedTheirArguments() {
    assertEquals(125, run(Map.of(), "checkpoint", "rm", "c1").code()); // no NAME
    assertEquals(125, run(Map.of(), "checkpoint", "ls").code());
    Result none = run(Map.of(), "checkpoint");
    assertEquals(125, none.code());
    assertTrue(none.err().contains("missing subcommand: create, ls or rm"), none.err());
    Result r = run(Map.of(), "checkpoint", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("  create ") && r.out().contains("  ls "), r.out());
  }
}
