package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pause, resume and live resource updates against real runc, seen in the cgroup files. */
class PauseUpdateIT extends SharedDaemon {
  static Path sleeper;

  @BeforeAll
  static void bundles() throws Exception {
    sleeper = Fixtures.bundle(dir.resolve("b-sleep"), "sleep", "1000");
  }

  private static String cgroupFile(String controller, String id, String file) throws Exception {
    return Files.readString(
            Fixtures.cgroupDir(controller, Fixtures.cgroupPath(daemon, "default", id))
                .resolve(file))
        .strip();
  }

  private static void create(String id) throws Exception {
    Api.Reply r = api.post("/v1/containers", Fixtures.createBody(id, sleeper));
    assertEquals(201, r.status(), r.body());
  }

  private static void forceDelete(String id) throws Exception {
    assertEquals(204, api.delete("/v1/containers/" + id + "?force=1").status());
  }

  @Test
  void pauseFreezesResumeThawsAndEachIsAnEvent() throws Exception {
    try (Api.EventStream events = api.events("?id=pz1")) {
      events.next("live", null);
      create("pz1");
      Api.Reply paused = api.post("/v1/containers/pz1/pause", null);
      assertEquals(200, paused.status(), paused.body());
      assertEquals("paused", paused.json().get("status").getAsString());
      assertEquals("FROZEN", cgroupFile("freezer", "pz1", "freezer.state"));
      assertEquals("paused", api.get("/v1/containers/pz1").json().get("status").getAsString());

      Api.Reply again = api.post("/v1/containers/pz1/pause", null);
      assertEquals(409, again.status(), again.body());
      assertEquals("container pz1: is already paused", again.message());

      Api.Reply resumed = api.post("/v1/containers/pz1/resume", null);
      assertEquals(200, resumed.status(), resumed.body());
      assertEquals("running", resumed.json().get("status").getAsString());
      assertEquals("THAWED", cgroupFile("freezer", "pz1", "freezer.state"));
      Api.Reply notPaused = api.post("/v1/containers/pz1/resume", null);
      assertEquals(409, notPaused.status(), notPaused.body());
      assertEquals("container pz1: is running, not paused", notPaused.message());

      long pause = events.next("pause", "pz1").get("seq").getAsLong();
      assertTrue(events.next("resume", "pz1").get("seq").getAsLong() > pause);
      forceDelete("pz1");
    }
  }

  @Test
  void aPausedContainerIsKilledByAForcedDelete() throws Exception {
    create("pz2");
    assertEquals(200, api.post("/v1/containers/pz2/pause", null).status());
    forceDelete("pz2");
    assertEquals(404, api.get("/v1/containers/pz2").status());
    assertTrue(!Fixtures.runcIds(daemon.root).contains("pz2"));
  }

  @Test
  void aMemoryUpdateShowsInTheCgroupAndIsAnEvent() throws Exception {
    try (Api.EventStream events = api.events("?id=upd1&type=update")) {
      events.next("live", null);
      create("upd1");
      Api.Reply r =
          api.call(
              "PATCH",
              "/v1/containers/upd1/resources",
              "{\"memory\":{\"limit\":67108864},\"pids\":{\"limit\":50}}");
      assertEquals(200, r.status(), r.body());
      assertEquals("67108864", cgroupFile("memory", "upd1", "memory.limit_in_bytes"));
      assertEquals("50", cgroupFile("pids", "upd1", "pids.max"));
      assertEquals("upd1", events.next("update", "upd1").get("id").getAsString());
      forceDelete("upd1");
    }
  }

  @Test
  void invalidResourcesAre400NamingTheField() throws Exception {
    create("upd2");
    assertBad("{\"memory\":{\"limit\":-1}}", "memory.limit: -1 is below the minimum 1048576");
    assertBad("{\"cpu\":{\"shares\":\"lots\"}}", "cpu.shares: must be an integer");
    assertBad("{\"cpu\":{\"period\":0}}", "cpu.period: 0 is not in 1000..1000000");
    assertBad("{\"memroy\":1}", "memroy: unknown field");
    assertBad("{\"cpu\":{\"shars\":2}}", "cpu.shars: unknown field");
    assertBad("{\"memory\":67108864}", "memory: must be an object");
    assertBad("{}", "body: names no resource to update");
    forceDelete("upd2");
  }

  /** The shape create takes is the shape PATCH takes and the shape the container shows. */
  @Test
  void resourcesRoundTripThroughCreatePatchAndGet() throws Exception {
    Path rootfs = sleeper.resolve("rootfs");
    String resources =
        "{\"memory\":{\"limit\":67108864},\"cpu\":{\"shares\":512},\"pids\":{\"limit\":40}}";
    Api.Reply created =
        api.post(
            "/v1/containers",
            "{\"id\":\"upd3\",\"rootfs\":\""
                + rootfs
                + "\",\"process\":{\"args\":[\"sleep\",\"1000\"]},\"resources\":"
                + resources
                + "}");
    assertEquals(201, created.status(), created.body());
    assertEquals(resources, created.json().get("resources").toString());
    assertEquals("40", cgroupFile("pids", "upd3", "pids.max"));
    Api.Reply patched =
        api.call(
            "PATCH",
            "/v1/containers/upd3/resources",
            "{\"memory\":{\"limit\":134217728},\"cpu\":{\"quota\":50000,\"period\":100000}}");
    assertEquals(200, patched.status(), patched.body());
    String after =
        "{\"memory\":{\"limit\":134217728},"
            + "\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000},"
            + "\"pids\":{\"limit\":40}}";
    assertEquals(after, patched.json().get("resources").toString());
    assertEquals(after, api.get("/v1/containers/upd3").json().get("resources").toString());
    assertEquals("134217728", cgroupFile("memory", "upd3", "memory.limit_in_bytes"));
    assertEquals("50000", cgroupFile("cpu", "upd3", "cpu.cfs_quota_us"));
    forceDelete("upd3");
  }

  private static void assertBad(String body, String message) throws Exception {
    Api.Reply r = api.call("PATCH", "/v1/containers/upd2/resources", body);
    assertEquals(400, r.status(), r.body());
    assertEquals(message, r.message());
  }

  @Test
  void pauseOfAStoppedContainerIsRefused() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-true"), "true");
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("pz3", b)).status());
    api.post("/v1/containers/pz3/wait", null);
    Api.Reply r = api.post("/v1/containers/pz3/pause", null);
    assertEquals(409, r.status(), r.body());
    assertEquals("container pz3: cannot pause it while stopped", r.message());
    assertEquals(204, api.delete("/v1/containers/pz3").status());
  }
}
