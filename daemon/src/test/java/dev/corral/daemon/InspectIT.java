package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /v1/containers/{id} is a full inspect, and its times are in order, with real runc. */
class InspectIT extends SharedDaemon {
  static Path bundle;
  static Path rootfs;

  @BeforeAll
  static void bundles() throws Exception {
    bundle = Fixtures.bundle(dir.resolve("b-sleep"), "sleep", "1000");
    rootfs = Fixtures.bundle(dir.resolve("b-true"), "true").resolve("rootfs");
  }

  @Test
  void aContainerShowsItsSpecResourcesProcessesAndExitFacts() throws Exception {
    String body =
        "{\"id\":\"in1\",\"rootfs\":\""
            + rootfs
            + "\",\"labels\":{\"app\":\"web\"},\"process\":{\"args\":[\"sleep\",\"1000\"],"
            + "\"env\":[\"A=1\"],\"cwd\":\"/tmp\",\"user\":{\"uid\":0,\"gid\":0}},"
            + "\"resources\":{\"pids\":{\"limit\":30}}}";
    Api.Reply created = api.post("/v1/containers", body);
    assertEquals(201, created.status(), created.body());
    Api.Reply exec =
        api.post("/v1/containers/in1/processes", "{\"id\":\"e1\",\"args\":[\"sleep\",\"1000\"]}");
    assertEquals(201, exec.status(), exec.body());

    JsonObject c = api.get("/v1/containers/in1").json();
    JsonObject process = c.getAsJsonObject("process");
    assertEquals("[\"sleep\",\"1000\"]", process.get("args").toString());
    assertTrue(process.get("env").toString().contains("\"A=1\""), process.toString());
    assertEquals("/tmp", process.get("cwd").getAsString());
    assertEquals("{\"uid\":0,\"gid\":0}", process.get("user").toString());
    assertFalse(process.get("terminal").getAsBoolean());
    assertEquals(rootfs.toString(), c.getAsJsonObject("root").get("path").getAsString());
    assertTrue(c.getAsJsonObject("root").get("readonly").getAsBoolean());
    assertEquals(rootfs.toString(), c.get("rootfs").getAsString());
    assertFalse(c.has("bundle"));
    assertEquals("{\"pids\":{\"limit\":30}}", c.get("resources").toString());
    assertEquals("{\"app\":\"web\"}", c.get("labels").toString());
    assertFalse(c.get("terminal").getAsBoolean());
    assertFalse(c.get("oomKilled").getAsBoolean());
    assertEquals(
        api.get("/v1/containers/in1/processes").body().strip(), c.get("processes").toString());
    JsonArray processes = c.getAsJsonArray("processes");
    assertEquals("init", processes.get(0).getAsJsonObject().get("id").getAsString());
    assertEquals("e1", processes.get(1).getAsJsonObject().get("id").getAsString());

    JsonObject listed =
        JsonParser.parseString(api.get("/v1/containers?label=app=web").body())
            .getAsJsonArray()
            .get(0)
            .getAsJsonObject();
    assertEquals(c.get("process"), listed.get("process"));
    assertEquals(c.get("processes"), listed.get("processes"));

    assertEquals(204, api.delete("/v1/containers/in1?force=1").status());
  }

  @Test
  void aBundlesOwnSpecIsShownToo() throws Exception {
    Api.Reply created = api.post("/v1/containers", Fixtures.createBody("in2", bundle));
    assertEquals(201, created.status(), created.body());
    JsonObject c = created.json();
    assertEquals(bundle.toString(), c.get("bundle").getAsString());
    assertFalse(c.has("rootfs"));
    assertEquals("[\"sleep\",\"1000\"]", c.getAsJsonObject("process").get("args").toString());
    assertTrue(c.getAsJsonObject("root").get("path").getAsString().endsWith("rootfs"));
    assertEquals(204, api.delete("/v1/containers/in2?force=1").status());
  }

  /** `true` exits at once: its exit used to be dated before its start. */
  @Test
  void startedAtIsNeverAfterExitedAt() throws Exception {
    for (int i = 0; i < 20; i++) {
      String id = "quick-" + i;
      String body =
          "{\"id\":\"" + id + "\",\"rootfs\":\"" + rootfs + "\",\"process\":{\"args\":[\"true\"]}}";
      Api.Reply created = api.post("/v1/containers", body);
      assertEquals(201, created.status(), created.body());
      JsonObject exit = api.post("/v1/containers/" + id + "/wait", null).json();
      JsonObject c = api.get("/v1/containers/" + id).json();
      Instant started = Instant.parse(c.get("startedAt").getAsString());
      Instant exited = Instant.parse(c.get("exitedAt").getAsString());
      assertFalse(exited.isBefore(started), id + ": " + c);
      assertEquals(exit.get("exitedAt"), c.get("exitedAt"));
      assertEquals(0, c.get("exitCode").getAsInt());
      assertEquals(204, api.delete("/v1/containers/" + id).status());
    }
  }
}
