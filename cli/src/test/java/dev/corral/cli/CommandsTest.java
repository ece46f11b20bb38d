package dev.corral.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The request bodies and outputs the newer commands build from their flags, with no daemon. */
class CommandsTest {
  /** The command object picocli filled for {@code args}, innermost subcommand first. */
  @SuppressWarnings("unchecked")
  static <T> T parse(String... args) {
    ParseResult r = Main.commandLine(Map.of()).parseArgs(args);
    while (r.hasSubcommand()) {
      r = r.subcommand();
    }
    return (T) r.commandSpec().userObject();
  }

  @Test
  void runAndUpdateShareTheLimitFlagsAndRunNestsThemAsOciResources() {
    RunCommand run =
        parse(
            "run",
            "--rootfs",
            "/r",
            "-m",
            "64m",
            "--cpu-shares",
            "512",
            "--cpu-quota",
            "50000",
            "--pids-limit",
            "20",
            "--name",
            "c1",
            "--",
            "true");
    com.google.gson.JsonObject body =
        com.google.gson.JsonParser.parseString(
                run.create.body(new CommandLine(run).getCommandSpec()))
            .getAsJsonObject();
    assertEquals(
        "{\"memory\":{\"limit\":67108864},\"cpu\":{\"shares\":512,\"quota\":50000},"
            + "\"pids\":{\"limit\":20}}",
        body.get("resources").toString());
    assertEquals("c1", body.get("id").getAsString());
    assertEquals("[\"true\"]", body.getAsJsonObject("process").get("args").toString());
    RunCommand bundled = parse("run", "--bundle", "/b", "--cpu-shares", "2", "--name", "c2");
    assertThrows(
        CommandLine.ParameterException.class,
        () -> bundled.create.body(new CommandLine(bundled).getCommandSpec()));
  }

  @Test
  void updateSendsOnlyTheLimitsGivenWithMemoryInBytes() {
    UpdateCommand u = parse("update", "--memory", "64m", "--cpu-quota", "-1", "--pids", "20", "c1");
    assertEquals(
        "{\"memory\":{\"limit\":67108864},\"cpu\":{\"quota\":-1},\"pids\":{\"limit\":20}}",
        u.body().toString());
    UpdateCommand all =
        parse("update", "c1", "--cpu-shares", "512", "--cpu-period", "100000", "--pids-limit", "5");
    assertEquals(
        "{\"cpu\":{\"shares\":512,\"period\":100000},\"pids\":{\"limit\":5}}",
        all.body().toString());
    assertEquals("{}", CommandsTest.<UpdateCommand>parse("update", "c1").body().toString());
  }

  @Test
  void updateRefusesABadSize() {
    assertThrows(
        CommandLine.ParameterException.class, () -> parse("update", "--memory", "lots", "c1"));
  }

  @Test
  void statsRowsReadLikeDockers() {
    var s =
        com.google.gson.JsonParser.parseString(
                "{\"read\":\"2026-11-23T17:00:00Z\",\"cpu\":{\"usageNanos\":1234567890},"
                    + "\"memory\":{\"usage\":1572864,\"limit\":67108864},"
                    + "\"pids\":{\"current\":3,\"limit\":null},"
                    + "\"blkio\":{\"readBytes\":0,\"writeBytes\":4096}}")
            .getAsJsonObject();
    assertEquals(
        java.util.List.of("c1", "-", "1.5MiB / 64MiB", "3", "0B / 4KiB"),
        StatsCommand.row("c1", null, s));
    var later =
        com.google.gson.JsonParser.parseString(
                "{\"read\":\"2026-11-23T17:00:02Z\",\"cpu\":{\"usageNanos\":2234567890},"
                    + "\"memory\":{\"usage\":1572864,\"limit\":67108864}}")
            .getAsJsonObject();
    assertEquals("50.00%", StatsCommand.row("c1", s, later).get(1));
    var unlimited =
        com.google.gson.JsonParser.parseString("{\"memory\":{\"usage\":100,\"limit\":null}}")
            .getAsJsonObject();
    assertEquals(
        java.util.List.of("c1", "-", "100B / unlimited", "-", "- / -"),
        StatsCommand.row("c1", s, unlimited));
  }

  @Test
  void sizesPrintForPeople() {
    assertEquals("0B", Sizes.human(0));
    assertEquals("1023B", Sizes.human(1023));
    assertEquals("1KiB", Sizes.human(1024));
    assertEquals("1.5MiB", Sizes.human(1572864));
    assertEquals("8EiB", Sizes.human(Long.MAX_VALUE));
  }

  @Test
  void execSendsOnlyWhatWasGiven() {
    ExecCommand plain = parse("exec", "c1", "--", "sh", "-c", "exit 3");
    assertEquals(
        "{\"id\":\"x1\",\"args\":[\"sh\",\"-c\",\"exit 3\"]}", plain.body("x1").toString());
    ExecCommand all =
        parse(
            "exec",
            "-d",
            "-e",
            "A=1",
            "--cwd",
            "/tmp",
            "--user",
            "1000:100",
            "--id",
            "e1",
            "c1",
            "--",
            "ls");
    assertEquals(
        "{\"id\":\"e1\",\"args\":[\"ls\"],\"env\":[\"A=1\"],\"cwd\":\"/tmp\","
            + "\"user\":{\"uid\":1000,\"gid\":100}}",
        all.body(all.execId).toString());
    ExecCommand it = parse("exec", "-it", "c1", "sh");
    assertEquals(
        "{\"id\":\"x2\",\"args\":[\"sh\"],\"stdin\":true,\"terminal\":true}",
        it.body("x2").toString());
    assertEquals("{\"uid\":7,\"gid\":0}", ExecCommand.user("7").toString());
    assertThrows(CliException.class, () -> ExecCommand.user("nobody"));
    assertThrows(CliException.class, () -> ExecCommand.user("1:2:3"));
  }

  @Test
  void generatedExecIdsAreValidAndDistinct() {
    String a = ExecCommand.newExecId();
    assertEquals(a, ApiCommand.id(a));
    assertTrue(a.matches("exec-[0-9a-f]{12}"), a);
    assertTrue(!a.equals(ExecCommand.newExecId()));
  }

  @Test
  void checkpointCreateNamesItselfByTimeUnlessNamed() {
    CheckpointCommand.Create named =
        parse("checkpoint", "create", "--leave-running", "--tcp", "c1", "cp1");
    assertEquals(
        "{\"name\":\"cp1\",\"leaveRunning\":true,\"tcp\":true,\"unixSockets\":false,"
            + "\"shell\":false}",
        named.body().toString());
    java.time.Clock at =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-11-23T18:16:00Z"), java.time.ZoneOffset.UTC);
    assertEquals("cp-20261123-181600", CheckpointCommand.Create.defaultName(at));
    CheckpointCommand.Create unnamed = parse("checkpoint", "create", "c1");
    assertTrue(unnamed.body().get("name").getAsString().startsWith("cp-"));
  }

  @Test
  void checkpointListRowsShowNameTimeAndPath() {
    var cp =
        com.google.gson.JsonParser.parseString(
                "{\"name\":\"cp1\",\"path\":\"/r/containers/c1/checkpoints/cp1\","
                    + "\"createdAt\":\"2026-11-23T18:16:00Z\"}")
            .getAsJsonObject();
    assertEquals(
        java.util.List.of("cp1", "2026-11-23T18:16:00Z", "/r/containers/c1/checkpoints/cp1"),
        CheckpointCommand.Ls.row(cp));
  }
}
