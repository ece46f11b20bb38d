package dev.corral.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.cli.FakeDaemon.Answer;
import dev.corral.cli.FakeDaemon.Request;
import dev.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pod create|ls|inspect|rm} and {@code run}/{@code create --pod}, against a fake daemon. */
class PodsTest {
  private static final String POD =
      "{\"uid\":\"u1\",\"name\":\"web\",\"namespace\":\"kube\",\"fullName\":\"web_kube_u1\","
          + "\"sandbox\":{\"id\":\"pod-u1\",\"state\":\"ready\",\"pid\":42,"
          + "\"createdAt\":\"2026-11-23T16:57:00Z\"},"
          + "\"containers\":[{\"id\":\"3f2a9c01d7be\",\"name\":\"app\",\"state\":\"running\"},"
          + "{\"id\":\"9b1c\",\"name\":\"side\",\"state\":\"exited\",\"exitCode\":0}],"
          + "\"timestamp\":\"2026-11-23T17:00:00.000000001Z\"}";

  @TempDir Path dir;

  private FakeDaemon daemon(java.util.function.Function<Request, Answer> answers) throws Exception {
    return new FakeDaemon(dir.resolve("d.sock"), answers);
  }

  private static JsonObject json(String s) {
    return JsonParser.parseString(s).getAsJsonObject();
  }

  @Test
  void podCreateSendsTheContractsBodyAndPrintsTheUid() throws Exception {
    try (FakeDaemon d = daemon(r -> new Answer(201, r.body()))) {
      Result r =
          d.run(
              "-n",
              "team",
              "pod",
              "create",
              "--uid",
              "u1",
              "--pod-namespace",
              "kube",
              "--hostname",
              "web-0",
              "-l",
              "app=web",
              "web");
      assertEquals(0, r.code(), r.err());
      assertEquals("u1\n", r.out());
      Request sent = d.requests().get(0);
      assertEquals("POST /v1/pods", sent.line());
      assertEquals("team", sent.header(Client.NAMESPACE_HEADER));
      assertEquals(
          json(
              "{\"uid\":\"u1\",\"name\":\"web\",\"namespace\":\"kube\",\"hostname\":\"web-0\","
                  + "\"labels\":{\"app\":\"web\"}}"),
          json(sent.body()));
    }
  }

  @Test
  void podCreateMakesUpAUidInTheDefaultKubernetesNamespace() throws Exception {
    try (FakeDaemon d = daemon(r -> new Answer(201, r.body()))) {
      Result r = d.run("pod", "create", "web");
      assertEquals(0, r.code(), r.err());
      JsonObject body = json(d.requests().get(0).body());
      String uid = body.get("uid").getAsString();
      assertTrue(uid.matches("[0-9a-f]{12}"), uid);
      assertEquals(uid + "\n", r.out());
      assertEquals(
          json(
              "{\"uid\":\"" + uid + "\",\"name\":\"web\",\"namespace\":\"default\",\"labels\":{}}"),
          body);
      Result bad = d.run("pod", "create", "--uid", "a/b", "web");
      assertEquals(125, bad.code());
      assertTrue(bad.err().startsWith("corral: --uid: \"a/b\" does not match"), bad.err());
      assertEquals(1, d.requests().size());
    }
  }

  @Test
  void podLsPrintsOneRowPerPodAndPassesAll() throws Exception {
    try (FakeDaemon d = daemon(r -> Answer.json("[" + POD + "]"))) {
      Result r = d.run("pod", "ls");
      assertEquals(0, r.code(), r.err());
      List<String> lines = r.out().lines().toList();
      assertEquals(2, lines.size(), r.out());
      assertTrue(
          lines.get(0).matches("UID +NAME +NAMESPACE +STATE +CONTAINERS +CREATED"), lines.get(0));
      assertTrue(lines.get(1).matches("u1 +web +kube +ready +2 +\\d+ \\w+ ago"), lines.get(1));
      assertEquals("u1\n", d.run("pod", "ls", "-a", "-q").out());
      assertEquals(
          List.of("GET /v1/pods", "GET /v1/pods?all=1"),
          d.requests().stream().map(Request::line).toList());
    }
  }

  @Test
  void podRowsReadLikePsRows() {
    Clock now = Clock.fixed(Instant.parse("2026-11-23T17:00:00Z"), ZoneOffset.UTC);
    assertEquals(
        List.of("u1", "web", "kube", "ready", "2", "3 minutes ago"),
        PodCommand.Ls.row(json(POD), now));
    assertEquals(
        List.of("u2", "-", "-", "-", "0", "-"), PodCommand.Ls.row(json("{\"uid\":\"u2\"}"), now));
  }

  @Test
  void podInspectPrintsTheStatusOfEach() throws Exception {
    try (FakeDaemon d = daemon(r -> Answer.json(POD))) {
      Result r = d.run("pod", "inspect", "u1", "u1");
      assertEquals(0, r.code(), r.err());
      assertEquals(
          JsonParser.parseString("[" + POD + "," + POD + "]"), JsonParser.parseString(r.out()));
      assertEquals("GET /v1/pods/u1", d.requests().get(0).line());
    }
  }

  @Test
  void podRmForcesWhenAskedAndGoesOnPastAFailure() throws Exception {
    try (FakeDaemon d =
        daemon(
            r ->
                r.path().startsWith("/v1/pods/gone")
                    ? new Answer(
                        404, "{\"message\":\"pod gone: not found\",\"code\":\"not_found\"}")
                    : new Answer(204, ""))) {
      Result r = d.run("pod", "rm", "-f", "u1", "gone", "u2");
      assertEquals(1, r.code());
      assertEquals("u1\nu2\n", r.out());
      assertEquals("corral: pod gone: not found\n", r.err());
      assertEquals(
          List.of(
              "DELETE /v1/pods/u1?force=1",
              "DELETE /v1/pods/gone?force=1",
              "DELETE /v1/pods/u2?force=1"),
          d.requests().stream().map(Request::line).toList());
      assertEquals(0, d.run("pod", "rm", "u3").code());
      assertEquals("DELETE /v1/pods/u3", d.requests().get(3).line());
    }
  }

  @Test
  void aContainerJoinsAPodByUidUnderItsNameWithAMadeUpId() throws Exception {
    try (FakeDaemon d = daemon(r -> new Answer(201, "{}"))) {
      Result r = d.run("create", "--pod", "u1", "--name", "app", "--rootfs", "/r", "sleep", "1d");
      assertEquals(0, r.code(), r.err());
      JsonObject body = json(d.requests().get(0).body());
      assertEquals("u1", body.get("pod").getAsString());
      assertEquals("app", body.get("name").getAsString());
      String id = body.get("id").getAsString();
      assertTrue(id.matches("[0-9a-f]{12}"), id);
      assertEquals(id + "\n", r.out());
    }
    RunCommand plain = CommandsTest.parse("run", "--name", "web", "--rootfs", "/r", "true");
    JsonObject body = plain.create.json(new picocli.CommandLine(plain).getCommandSpec());
    assertEquals("web", body.get("id").getAsString());
    assertTrue(!body.has("name") && !body.has("pod"), body.toString()); // no pod: as before
  }

  @Test
  void aPodWithoutANameIsAUsageError() throws Exception {
    try (FakeDaemon d = daemon(r -> new Answer(201, "{}"))) {
      for (String cmd : new String[] {"run", "create"}) {
        Result r = d.run(cmd, "--pod", "u1", "--rootfs", "/r", "true");
        assertEquals(125, r.code());
        assertEquals(
            "corral: --pod needs --name: the container's name in the pod\n"
                + "See 'corral "
                + cmd
                + " --help'.\n",
            r.err());
      }
      Result bad = d.run("run", "--pod", "a/b", "--name", "app", "--rootfs", "/r", "true");
      assertEquals(125, bad.code());
      assertTrue(bad.err().startsWith("corral: --pod: \"a/b\""), bad.err());
      assertEquals(List.of(), d.requests());
    }
    RunCommand run =
        CommandsTest.parse("run", "--pod", "u1", "--name", "app", "--rootfs", "/r", "x");
    assertNotEquals("app", run.create.id());
  }

  @Test
  void podWithoutASubcommandIsAUsageError() throws Exception {
    try (FakeDaemon d = daemon(r -> Answer.json("[]"))) {
      Result r = d.run("pod");
      assertEquals(125, r.code());
      assertTrue(r.err().startsWith("corral: missing subcommand: create, ls, inspect or rm"));
      assertEquals(125, d.run("pod", "rm").code()); // no UID
      assertEquals(125, d.run("pod", "create").code()); // no NAME
      assertEquals(List.of(), d.requests());
    }
  }
}
