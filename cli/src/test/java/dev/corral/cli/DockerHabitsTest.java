package dev.corral.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** docker's habits in the CLI, without a daemon: parsing, filters, CPU %, exit codes. */
class DockerHabitsTest {
  private static JsonObject json(String s) {
    return JsonParser.parseString(s).getAsJsonObject();
  }

  private static JsonObject body(RunCommand run) {
    return run.create.json(new CommandLine(run).getCommandSpec());
  }

  private static List<String> args(RunCommand run) {
    List<String> a = new java.util.ArrayList<>();
    body(run)
        .getAsJsonObject("process")
        .getAsJsonArray("args")
        .forEach(e -> a.add(e.getAsString()));
    return a;
  }

  @Test
  void everythingFromTheCommandOnBelongsToIt() {
    RunCommand sh = CommandsTest.parse("run", "--rootfs", "/r", "sh", "-c", "echo hi");
    assertEquals(List.of("sh", "-c", "echo hi"), args(sh));
    RunCommand ls =
        CommandsTest.parse("run", "--rootfs", "/r", "-l", "a=b", "ls", "-la", "-l", "x");
    assertEquals(List.of("ls", "-la", "-l", "x"), args(ls));
    assertEquals("{\"a\":\"b\"}", body(ls).get("labels").toString());
    RunCommand dashed = CommandsTest.parse("run", "--rootfs", "/r", "-d", "--", "sh", "--", "-x");
    assertTrue(dashed.detach);
    assertEquals(List.of("sh", "--", "-x"), args(dashed));
    CreateCommand create =
        CommandsTest.parse("create", "--rootfs", "/r", "--name", "w", "top", "-b");
    assertEquals(List.of("top", "-b"), create.create.command);
    assertEquals("w", create.create.id());
  }

  @Test
  void withoutANameTheIdIsTwelveRandomHexDigitsKeptForTheInvocation() {
    RunCommand run = CommandsTest.parse("run", "--rootfs", "/r", "true");
    String id = run.create.id();
    assertTrue(id.matches("[0-9a-f]{12}"), id);
    assertEquals(id, run.create.id());
    assertEquals(id, body(run).get("id").getAsString());
    assertEquals(id, ApiCommand.id(id));
    assertNotEquals(id, CreateOptions.newId());
  }

  @Test
  void execTakesTheCommandAfterTheIdWithOrWithoutDashes() {
    ExecCommand ls = CommandsTest.parse("exec", "-e", "A=1", "c1", "ls", "-la", "-e", "B");
    assertEquals(List.of("ls", "-la", "-e", "B"), ls.command());
    assertEquals(List.of("A=1"), ls.env);
    ExecCommand dashed = CommandsTest.parse("exec", "c1", "--", "sh", "-c", "exit 3");
    assertEquals(List.of("sh", "-c", "exit 3"), dashed.command());
    ExecCommand before = CommandsTest.parse("exec", "--", "c1", "sh");
    assertEquals("c1", before.id);
    assertEquals(List.of("sh"), before.command());
  }

  @Test
  void startFailuresMapToDockersExitCodes() {
    String prefix = "container t1: runc create failed: unable to start container process: ";
    assertEquals(
        127,
        ExitCodes.ofStartFailure(prefix + "exec: \"nosuch\": executable file not found in $PATH"));
    assertEquals(
        127,
        ExitCodes.ofStartFailure(
            prefix + "exec: \"/nosuch\": stat /nosuch: no such file or directory"));
    assertEquals(126, ExitCodes.ofStartFailure(prefix + "exec: \"/etc/hosts\": permission denied"));
    assertEquals(
        126,
        ExitCodes.ofStartFailure(
            "container box: exec x1: exec failed: unable to start container process: "
                + "exec: \"/etc\": permission denied"));
    // the rootfs is not the command: corral's own failure
    assertEquals(125, ExitCodes.ofStartFailure("rootfs: /nonexistent-rootfs does not exist"));
    assertEquals(
        125,
        ExitCodes.ofStartFailure(
            "container c: runc create failed: rootfs: no such file or directory"));
    assertEquals(125, ExitCodes.ofStartFailure("cannot connect to corrald at /x.sock"));
    assertEquals(125, ExitCodes.ofStartFailure(null));
  }

  @Test
  void psShowsRunningByDefaultAndFiltersLikeDocker() {
    CommandLine line = Main.commandLine(Map.of());
    JsonObject web =
        json(
            "{\"id\":\"web-1\",\"status\":\"running\",\"labels\":{\"app\":\"web\",\"tier\":\"front\"}}");
    JsonObject done = json("{\"id\":\"job\",\"status\":\"stopped\",\"exitCode\":3,\"labels\":{}}");
    Filters none = Filters.parse(line, List.of(), PsCommand.FILTERS);
    assertTrue(PsCommand.shows(web, none, false));
    assertFalse(PsCommand.shows(done, none, false));
    assertTrue(PsCommand.shows(done, none, true));
    Filters exited = Filters.parse(line, List.of("status=exited"), PsCommand.FILTERS);
    assertTrue(PsCommand.shows(done, exited, true));
    assertFalse(PsCommand.shows(web, exited, true));
    Filters either =
        Filters.parse(line, List.of("status=paused", "status=running"), PsCommand.FILTERS);
    assertTrue(PsCommand.shows(web, either, true));
    Filters labels = Filters.parse(line, List.of("label=app=web", "label=tier"), PsCommand.FILTERS);
    assertTrue(PsCommand.shows(web, labels, false));
    Filters wrong = Filters.parse(line, List.of("label=app=web", "label=db"), PsCommand.FILTERS);
    assertFalse(PsCommand.shows(web, wrong, false)); // several labels: all must match
    assertTrue(
        PsCommand.shows(web, Filters.parse(line, List.of("name=b-"), PsCommand.FILTERS), true));
    assertFalse(
        PsCommand.shows(web, Filters.parse(line, List.of("id=eb"), PsCommand.FILTERS), true));
    assertTrue(
        PsCommand.shows(web, Filters.parse(line, List.of("id=we"), PsCommand.FILTERS), true));
    assertTrue(
        PsCommand.shows(done, Filters.parse(line, List.of("exited=3"), PsCommand.FILTERS), true));
    assertFalse(
        PsCommand.shows(web, Filters.parse(line, List.of("exited=3"), PsCommand.FILTERS), true));
  }

  @Test
  void aBadFilterIsAUsageErrorNamingIt() {
    CommandLine line = Main.commandLine(Map.of());
    ParameterException unknown =
        assertThrows(
            ParameterException.class,
            () -> Filters.parse(line, List.of("color=red"), PsCommand.FILTERS));
    assertTrue(unknown.getMessage().contains("unknown key 'color'"), unknown.getMessage());
    ParameterException bare =
        assertThrows(
            ParameterException.class,
            () -> Filters.parse(line, List.of("label"), EventsCommand.FILTERS));
    assertTrue(bare.getMessage().contains("'label' is not key=value"), bare.getMessage());
    assertThrows(
        ParameterException.class,
        () -> Filters.parse(line, List.of("label=a"), EventsCommand.FILTERS)); // events have none
  }

  @Test
  void cpuPercentIsCpuTimeOverWallTimeOfTheInterval() {
    JsonObject t0 = json("{\"read\":\"2026-11-23T17:00:00Z\",\"cpu\":{\"usageNanos\":1000000000}}");
    JsonObject t1 =
        json("{\"read\":\"2026-11-23T17:00:00.500Z\",\"cpu\":{\"usageNanos\":1750000000}}");
    assertEquals(150.0, StatsCommand.cpuPercent(t0, t1), 1e-9); // 1.5 CPUs busy
    JsonObject idle =
        json("{\"read\":\"2026-11-23T17:00:01Z\",\"cpu\":{\"usageNanos\":1750000000}}");
    assertEquals(0.0, StatsCommand.cpuPercent(t1, idle), 1e-9);
    assertNull(StatsCommand.cpuPercent(t1, t1)); // no time passed
    assertNull(StatsCommand.cpuPercent(t0, json("{\"read\":\"2026-11-23T17:00:01Z\"}")));
  }
}
