package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /v1/containers with rootfs + process, and GET .../logs, against a real corrald. */
class RootfsAndLogsIT {
  @TempDir static Path dir;
  static Corrald daemon;
  static Api api;
  static Path rootfs;

  @BeforeAll
  static void start() throws Exception {
    daemon = Corrald.start(dir);
    api = daemon.api();
    rootfs = Fixtures.bundle(dir.resolve("busybox")).resolve("rootfs");
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    daemon.stop();
    Fixtures.cleanUp(daemon);
  }

  static String body(String id, String process, String resources) {
    return "{\"id\":\""
        + id
        + "\",\"rootfs\":\""
        + rootfs
        + "\",\"process\":"
        + process
        + (resources == null ? "" : ",\"resources\":" + resources)
        + "}";
  }

  @Test
  void aRootfsAndAProcessRunWithTheRequestsEnvCwdAndMemoryLimit() throws Exception {
    String process =
        "{\"args\":[\"sh\",\"-c\",\"echo $GREETING from $(pwd); sleep 1000\"],"
            + "\"env\":[\"GREETING=hello\"],\"cwd\":\"/tmp\"}";
    Api.Reply created =
        api.post("/v1/containers", body("rfs-env", process, "{\"memory\":{\"limit\":67108864}}"));
    assertEquals(201, created.status(), created.body());
    Path limit =
        Fixtures.cgroupDir("memory", Fixtures.cgroupPath(daemon, "default", "rfs-env"))
            .resolve("memory.limit_in_bytes");
    assertEquals("67108864", Files.readString(limit).strip());
    JsonObject line = awaitFirstLogLine("rfs-env");
    assertEquals("hello from /tmp\n", line.get("log").getAsString());
    assertEquals("stdout", line.get("stream").getAsString());
    Path spec = Fixtures.runDir(daemon, "rfs-env").resolve("bundle/config.json");
    JsonObject o = JsonParser.parseString(Files.readString(spec)).getAsJsonObject();
    assertEquals(rootfs.toString(), o.getAsJsonObject("root").get("path").getAsString());
    assertEquals(204, api.delete("/v1/containers/rfs-env?force=1").status());
  }

  private static JsonObject awaitFirstLogLine(String id) throws Exception {
    for (int i = 0; i < 600; i++) {
      Api.Reply r = api.get("/v1/containers/" + id + "/logs");
      assertEquals(200, r.status(), r.body());
      if (!r.body().isBlank()) {
        return JsonParser.parseString(r.body().lines().findFirst().get()).getAsJsonObject();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no log line for " + id);
  }

  @Test
  void badRootfsOrProcessIsRefusedNamingTheFieldAndLeavesNothing() throws Exception {
    String sh = "{\"args\":[\"sh\"]}";
    String[][] cases = {
      {"{\"id\":\"rfs-bad\",\"rootfs\":\"relative\",\"process\":" + sh + "}", "rootfs: "},
      {
        "{\"id\":\"rfs-bad\",\"rootfs\":\"/nonexistent-rootfs\",\"process\":" + sh + "}",
        "rootfs: /nonexistent-rootfs does not exist"
      },
      {
        "{\"id\":\"rfs-bad\",\"rootfs\":\""
            + rootfs.resolve("bin/busybox")
            + "\",\"process\":"
            + sh
            + "}",
        "rootfs: "
      },
      {"{\"id\":\"rfs-bad\",\"rootfs\":\"" + rootfs + "\"}", "process: is required with rootfs"},
      {body("rfs-bad", "{\"args\":[]}", null), "process.args: must not be empty"},
      {body("rfs-bad", "{\"args\":[\"sh\"],\"env\":[\"NOEQ\"]}", null), "process.env: "},
      {body("rfs-bad", "{\"args\":[\"sh\"],\"cwd\":\"tmp\"}", null), "process.cwd: "},
      {body("rfs-bad", "{\"args\":[\"sh\"],\"bogus\":1}", null), "process.bogus: unknown field"},
      {body("rfs-bad", sh, "{\"memory\":{\"limit\":1}}"), "resources.memory.limit: "},
      {body("rfs-bad", sh, "{\"memory\":{\"limit\":\"64m\"}}"), "resources.memory.limit: "},
      {
        "{\"id\":\"rfs-bad\",\"bundle\":\"/b\",\"rootfs\":\""
            + rootfs
            + "\",\"process\":"
            + sh
            + "}",
        "rootfs: give either bundle or rootfs"
      },
    };
    for (String[] c : cases) {
      Api.Reply r = api.post("/v1/containers", c[0]);
      assertEquals(400, r.status(), c[0] + " -> " + r.body());
      assertEquals("invalid_argument", r.code());
      assertTrue(r.message().startsWith(c[1]), c[0] + " -> " + r.message());
    }
    assertEquals(
        List.of(),
        Fixtures.containerDirs(daemon.root).stream().filter(c -> c.endsWith("/rfs-bad")).toList());
    assertFalse(Fixtures.runcIds(daemon.root).contains("rfs-bad"));
  }

  @Test
  void logsTailsAndFiltersByStream() throws Exception {
    String process = "{\"args\":[\"sh\",\"-c\",\"echo o1; echo e1 >&2; echo o2; echo o3\"]}";
    assertEquals(201, api.post("/v1/containers", body("rfs-tail", process, null)).status());
    assertEquals(200, api.post("/v1/containers/rfs-tail/wait", null).status());
    // conmon reads stdout and stderr from two pipes: order holds within a stream only.
    assertEquals(
        List.of("e1\n", "o1\n", "o2\n", "o3\n"), logs("rfs-tail", "").stream().sorted().toList());
    assertEquals(List.of("o2\n", "o3\n"), logs("rfs-tail", "?tail=2&stdout=1"));
    assertEquals(2, logs("rfs-tail", "?tail=2").size());
    assertEquals(List.of("e1\n"), logs("rfs-tail", "?stderr=1"));
    assertEquals(List.of("o1\n", "o2\n", "o3\n"), logs("rfs-tail", "?stdout=1"));
    assertEquals(List.of(), logs("rfs-tail", "?since=2100-01-01T00:00:00Z"));
    Api.Reply bad = api.get("/v1/containers/rfs-tail/logs?tail=x");
    assertEquals(400, bad.status());
    assertTrue(bad.message().startsWith("tail: "), bad.message());
    assertEquals(404, api.get("/v1/containers/rfs-none/logs").status());
    assertEquals(400, api.get("/v1/containers/..%2Fx/logs").status());
    assertEquals(204, api.delete("/v1/containers/rfs-tail").status());
  }

  @Test
  void followStreamsUntilTheContainerExitsAndTheLogIsDrained() throws Exception {
    String process = "{\"args\":[\"sh\",\"-c\",\"echo before; sleep 2; echo after; exit 4\"]}";
    assertEquals(201, api.post("/v1/containers", body("rfs-follow", process, null)).status());
    // Returns only after the container exited: "after" is written 2 s after the start.
    assertEquals(List.of("before\n", "after\n"), logs("rfs-follow", "?follow=1"));
    Api.Reply c = api.get("/v1/containers/rfs-follow");
    assertEquals("stopped", c.json().get("status").getAsString());
    assertEquals(204, api.delete("/v1/containers/rfs-follow").status());
  }

  private static List<String> logs(String id, String query) throws Exception {
    Api.Reply r = api.get("/v1/containers/" + id + "/logs" + query);
    assertEquals(200, r.status(), r.body());
    return r.body()
        .lines()
        .map(l -> JsonParser.parseString(l).getAsJsonObject().get("log").getAsString())
        .toList();
  }
}
