package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Execs outlive the daemon like containers do. corrald is SIGKILLed with five execs in one
 * container: one finished, two running, one that exits by itself while no daemon runs, one whose
 * conmon is killed meanwhile. The next daemon lists all five with the right states, reports each
 * exit that happened while it was down exactly once (code 7; 137 shim-lost), does not report the
 * finished one again, and supervises the running ones: they can be signalled, have their stdin
 * closed, and be waited for by id. A third daemon reports nothing twice.
 */
class ExecRestartIT {
  private static final String ID = "ex1";
  @TempDir Path dir;

  @Test
  void execsAreSupervisedAgainAndEachExitIsReportedOnce() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b"), "sleep", "1000");
    Path go = b.resolve("rootfs/go");
    Corrald first = Corrald.start(dir);
    Corrald second = null;
    Corrald third = null;
    try {
      try (Api api = first.api()) {
        assertEquals(201, api.post("/v1/containers", Fixtures.createBody(ID, b)).status());
        exec(api, "done", "true");
        assertEquals(0, waitExec(api, "done").get("exitCode").getAsInt());
        exec(api, "live", "sleep", "1000");
        exec(api, "late", "sh", "-c", "while [ ! -e /go ]; do sleep 0.05; done; exit 7");
        exec(api, "lost", "sleep", "1000");
        Api.Reply reader =
            api.post(
                "/v1/containers/" + ID + "/processes",
                "{\"id\":\"reader\",\"args\":[\"cat\"],\"stdin\":true}");
        assertEquals(201, reader.status(), reader.body());
      }
      first.process.destroyForcibly().waitFor(); // SIGKILL
      int lostConmon = execRecord(first, "lost").get("conmonPid").getAsInt();
      int lostPid = execRecord(first, "lost").get("pid").getAsInt();
      Files.writeString(go, ""); // "late" exits 7 while no daemon watches
      Fixtures.run("kill", "-KILL", Integer.toString(lostConmon));
      awaitExitFile(first, "late");

      second = Corrald.restart(first);
      try (Api api = second.api()) {
        Map<String, JsonObject> ps = processes(api);
        assertEquals("stopped", ps.get("done").get("status").getAsString());
        assertEquals(0, ps.get("done").get("exitCode").getAsInt());
        assertEquals("running", ps.get("live").get("status").getAsString());
        assertEquals("stopped", ps.get("late").get("status").getAsString());
        assertEquals(7, waitExec(api, "late").get("exitCode").getAsInt());
        JsonObject lost = waitExec(api, "lost");
        assertEquals(137, lost.get("exitCode").getAsInt(), lost.toString());
        assertTrue(Fixtures.deadOrZombie(lostPid), "the lost shim's exec still runs");

        // Its attach socket survived the restart: closing its stdin through it ends cat.
        Api.Reply closed = api.post("/v1/containers/" + ID + "/processes/reader/close-stdin", null);
        assertEquals(204, closed.status(), closed.body());
        assertEquals(0, waitExec(api, "reader").get("exitCode").getAsInt());

        Api.Reply signalled = api.post("/v1/containers/" + ID + "/signal", sig("live"));
        assertEquals(204, signalled.status(), signalled.body());
        assertEquals(137, waitExec(api, "live").get("exitCode").getAsInt());
        assertExitsReportedOnce(api);
        assertEquals("shim-lost", exitEvent(api, "lost").get("reason").getAsString());
      }
      second.stop(); // SIGTERM: containers keep running; nothing new to report
      third = Corrald.restart(second);
      try (Api api = third.api()) {
        assertExitsReportedOnce(api);
        assertEquals(137, waitExec(api, "live").get("exitCode").getAsInt());
        assertEquals(204, api.delete("/v1/containers/" + ID + "?force=1").status());
      }
    } finally {
      Corrald last = third != null ? third : second != null ? second : first;
      if (last.process.isAlive()) {
        last.stop();
      }
      Fixtures.cleanUp(last);
    }
  }

  /** A conmon killed under a live daemon: its exec is killed and reported 137 shim-lost. */
  @Test
  void anExecWhoseShimDiesIsKilledAndReported() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b"), "sleep", "1000");
    Corrald d = Corrald.start(dir);
    try (Api api = d.api()) {
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody(ID, b)).status());
      exec(api, "orphan", "sleep", "1000");
      JsonObject rec = execRecord(d, "orphan");
      Fixtures.run("kill", "-KILL", rec.get("conmonPid").getAsString());
      JsonObject w = waitExec(api, "orphan");
      assertEquals(137, w.get("exitCode").getAsInt(), w.toString());
      assertEquals("shim-lost", w.get("reason").getAsString());
      assertTrue(Fixtures.deadOrZombie(rec.get("pid").getAsInt()), "the orphan exec still runs");
      assertEquals("shim-lost", exitEvent(api, "orphan").get("reason").getAsString());
      assertEquals("running", api.get("/v1/containers/" + ID).json().get("status").getAsString());
      assertEquals(204, api.delete("/v1/containers/" + ID + "?force=1").status());
    } finally {
      d.stop();
      Fixtures.cleanUp(d);
    }
  }

  private static void exec(Api api, String execId, String... args) throws Exception {
    List<String> quoted = new ArrayList<>();
    for (String a : args) {
      quoted.add(new com.google.gson.JsonPrimitive(a).toString());
    }
    String body = "{\"id\":\"%s\",\"args\":[%s]}".formatted(execId, String.join(",", quoted));
    Api.Reply r = api.post("/v1/containers/" + ID + "/processes", body);
    assertEquals(201, r.status(), r.body());
  }

  private static JsonObject waitExec(Api api, String execId) throws Exception {
    Api.Reply r = api.post("/v1/containers/" + ID + "/processes/" + execId + "/wait", null);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static String sig(String pid) {
    return "{\"signal\":\"KILL\",\"pid\":\"" + pid + "\"}";
  }

  private static Map<String, JsonObject> processes(Api api) throws Exception {
    Api.Reply r = api.get("/v1/containers/" + ID + "/processes");
    assertEquals(200, r.status(), r.body());
    Map<String, JsonObject> out = new HashMap<>();
    for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
      out.put(e.getAsJsonObject().get("id").getAsString(), e.getAsJsonObject());
    }
    assertEquals(6, out.size(), r.body()); // init and five execs
    return out;
  }

  private static JsonObject execRecord(Corrald d, String execId) throws Exception {
    Path f = Fixtures.runDir(d, ID).resolve("execs/" + execId + "/exec.json");
    return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
  }

  private static void awaitExitFile(Corrald d, String execId) throws InterruptedException {
    Path f = Fixtures.runDir(d, ID).resolve("execs/" + execId + "/persist/exit");
    for (int i = 0; i < 600 && !Files.exists(f); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(f), "exec " + execId + " did not exit");
  }

  /** Every exec's start and exit appear exactly once in the journal, across all the daemons. */
  private static void assertExitsReportedOnce(Api api) throws Exception {
    Map<String, Integer> exits = new HashMap<>();
    Map<String, Integer> starts = new HashMap<>();
    for (JsonObject e : EventsIT.stored(api, "?stored=1&after=0&id=" + ID)) {
      String type = e.get("type").getAsString();
      String pid = e.get("pid").getAsString();
      if (type.equals("exit")) {
        exits.merge(pid, 1, Integer::sum);
      } else if (type.equals("start-process")) {
        starts.merge(pid, 1, Integer::sum);
      }
    }
    Map<String, Integer> once = Map.of("done", 1, "live", 1, "late", 1, "lost", 1, "reader", 1);
    assertEquals(once, exits, "exit events");
    assertEquals(once, starts, "start events");
  }

  private static JsonObject exitEvent(Api api, String execId) throws Exception {
    for (JsonObject e : EventsIT.stored(api, "?stored=1&after=0&id=" + ID + "&type=exit")) {
      if (e.get("pid").getAsString().equals(execId)) {
        return e;
      }
    }
    throw new AssertionError("no exit event for " + execId);
  }
}
