package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Execs through conmon's exec mode against real runc, conmon and busybox. */
class ProcessIT extends SharedDaemon {
  static Path sleeper;

  @BeforeAll
  static void bundles() throws Exception {
    sleeper = Fixtures.bundle(dir.resolve("b-sleep"), "sleep", "1000");
  }

  private static void create(String id) throws Exception {
    Api.Reply r = api.post("/v1/containers", Fixtures.createBody(id, sleeper));
    assertEquals(201, r.status(), r.body());
  }

  private static Api.Reply exec(String id, String execId, String... args) throws Exception {
    JsonObject o = new JsonObject();
    o.addProperty("id", execId);
    JsonArray a = new JsonArray();
    for (String s : args) {
      a.add(s);
    }
    o.add("args", a);
    return api.post("/v1/containers/" + id + "/processes", o.toString());
  }

  @Test
  void execExitCodeSevenReachesWaitAndTheEventStream() throws Exception {
    try (Api.EventStream events = api.events("?id=px1")) {
      events.next("live", null);
      create("px1");
      Api.Reply r = exec("px1", "e7", "sh", "-c", "sleep 0.2; exit 7");
      assertEquals(201, r.status(), r.body());
      assertEquals("e7", r.json().get("id").getAsString());
      Api.Reply waited = api.post("/v1/containers/px1/processes/e7/wait", null);
      assertEquals(200, waited.status(), waited.body());
      assertEquals(7, waited.json().get("exitCode").getAsInt());

      JsonObject started = events.next("start-process", "px1");
      assertEquals("e7", started.get("pid").getAsString());
      JsonObject exit = events.next("exit", "px1");
      assertEquals("e7", exit.get("pid").getAsString());
      assertEquals(7, exit.get("status").getAsInt());

      JsonArray ps = api.get("/v1/containers/px1/processes").any().getAsJsonArray();
      assertEquals("init", ps.get(0).getAsJsonObject().get("id").getAsString());
      assertEquals("running", ps.get(0).getAsJsonObject().get("status").getAsString());
      assertEquals("stopped", ps.get(1).getAsJsonObject().get("status").getAsString());
      assertEquals(7, ps.get(1).getAsJsonObject().get("exitCode").getAsInt());

      Api.Reply dup = exec("px1", "e7", "true");
      assertEquals(409, dup.status(), dup.body());
      assertEquals("container px1: process e7: already exists", dup.message());
      assertEquals(204, api.delete("/v1/containers/px1?force=1").status());
    }
  }

  @Test
  void anExecsOutputIsInItsOwnLogAndFollowEndsWhenItExits() throws Exception {
    create("px5");
    Api.Reply r = exec("px5", "talk", "sh", "-c", "echo out; sleep 1; echo err >&2; exit 4");
    assertEquals(201, r.status(), r.body());
    // follow=1 streams until the exec has exited and its log is drained
    Api.Reply followed = api.get("/v1/containers/px5/logs?pid=talk&follow=1");
    assertEquals(200, followed.status(), followed.body());
    List<String> lines = followed.body().lines().toList();
    assertEquals(2, lines.size(), followed.body());
    assertTrue(
        lines.get(0).contains("\"stream\":\"stdout\"") && lines.get(0).contains("out\\n"),
        lines.get(0));
    assertTrue(
        lines.get(1).contains("\"stream\":\"stderr\"") && lines.get(1).contains("err\\n"),
        lines.get(1));
    Api.Reply waited = api.post("/v1/containers/px5/processes/talk/wait", null);
    assertEquals(4, waited.json().get("exitCode").getAsInt());
    // the init's log does not hold the exec's output
    assertFalse(api.get("/v1/containers/px5/logs").body().contains("out\\n"));
    assertEquals(404, api.get("/v1/containers/px5/logs?pid=nosuch").status());
    Api.Reply bad = api.get("/v1/containers/px5/logs?pid=../x");
    assertEquals(400, bad.status(), bad.body());
    assertTrue(bad.message().startsWith("pid"), bad.message());
    assertEquals(204, api.delete("/v1/containers/px5?force=1").status());
  }

  @Test
  void execIntoAPausedOrStoppedContainerIsRefused() throws Exception {
    create("px2");
    assertEquals(200, api.post("/v1/containers/px2/pause", null).status());
    Api.Reply paused = exec("px2", "e1", "true");
    assertEquals(409, paused.status(), paused.body());
    assertEquals("container px2: is paused; resume it before exec", paused.message());
    assertEquals(204, api.post("/v1/containers/px2/signal", "{\"signal\":\"KILL\"}").status());
    api.post("/v1/containers/px2/wait", null);
    Api.Reply stopped = exec("px2", "e2", "true");
    assertEquals(409, stopped.status(), stopped.body());
    assertEquals("container px2: is stopped, not running", stopped.message());
    assertEquals(204, api.delete("/v1/containers/px2").status());
  }

  @Test
  void signalsReachAnExecAndItsExitPrecedesTheInits() throws Exception {
    try (Api.EventStream events = api.events("?id=px3&type=exit")) {
      events.next("live", null);
      create("px3");
      assertEquals(201, exec("px3", "long", "sleep", "1000").status());
      assertEquals(201, exec("px3", "long2", "sleep", "1000").status());
      Api.Reply sig =
          api.post("/v1/containers/px3/signal", "{\"signal\":\"KILL\",\"pid\":\"long\"}");
      assertEquals(204, sig.status(), sig.body());
      assertEquals(
          137,
          api.post("/v1/containers/px3/processes/long/wait", null)
              .json()
              .get("exitCode")
              .getAsInt());
      JsonObject first = events.next("exit", "px3");
      assertEquals("long", first.get("pid").getAsString());

      // The init dies with an exec still running: the exec's exit must come first.
      assertEquals(204, api.post("/v1/containers/px3/signal", "{\"signal\":\"KILL\"}").status());
      api.post("/v1/containers/px3/wait", null);
      assertEquals("long2", events.next("exit", "px3").get("pid").getAsString());
      assertEquals("init", events.next("exit", "px3").get("pid").getAsString());
      assertEquals(204, api.delete("/v1/containers/px3").status());
      assertFalse(Files.exists(Fixtures.containerDir(daemon, "px3")));
      assertFalse(Files.exists(Fixtures.runDir(daemon, "px3")));
      try (var links = Files.list(daemon.state.resolve("sock"))) {
        assertEquals(0, links.count(), "conmon's socket links are removed with the container");
      }
    }
  }

  @Test
  void aMissingCommandIsA400WithRuncsMessageAndLeavesNothing() throws Exception {
    create("px4");
    Api.Reply r = exec("px4", "bad", "/no/such/binary");
    assertEquals(400, r.status(), r.body());
    assertTrue(r.message().startsWith("container px4: exec bad: "), r.message());
    assertTrue(Files.isDirectory(Fixtures.runDir(daemon, "px4")), "px4 is where the test looks");
    assertFalse(Files.exists(Fixtures.containerDir(daemon, "px4").resolve("execs/bad")));
    assertFalse(Files.exists(Fixtures.runDir(daemon, "px4").resolve("execs/bad")));
    assertEquals(1, api.get("/v1/containers/px4/processes").any().getAsJsonArray().size());
    assertEquals(204, api.delete("/v1/containers/px4?force=1").status());
  }
}
