package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** OOM kills seen by the kernel, through a real corrald, runc, conmon and a memory cgroup. */
class OomIT extends SharedDaemon {
  private static final long LIMIT = 16L * 1024 * 1024;

  @Test
  void anOomKillGivesStartOomExitInOrderAndWaitSaysOomKilled() throws Exception {
    try (Api.EventStream events = api.events("?id=oom1")) {
      events.next("live", null);
      Path b = Fixtures.bundle(dir.resolve("b-oom"), "tail", "/dev/zero");
      Fixtures.withMemoryLimit(b, LIMIT);
      Api.Reply created = api.post("/v1/containers", Fixtures.createBody("oom1", b));
      assertEquals(201, created.status(), created.body());

      JsonObject waited = api.post("/v1/containers/oom1/wait", null).json();
      assertEquals(137, waited.get("exitCode").getAsInt(), waited.toString());
      assertTrue(waited.get("oomKilled").getAsBoolean(), waited.toString());
      assertEquals("OOMKilled", api.get("/v1/containers/oom1").json().get("reason").getAsString());

      assertEquals(List.of("start-container", "oom", "exit(137)"), typesUntilExit(events));
      assertEquals(204, api.delete("/v1/containers/oom1").status());
    }
  }

  @Test
  void forceDeletingAMemoryLimitedContainerReportsNoOom() throws Exception {
    try (Api.EventStream events = api.events("?id=nooom")) {
      events.next("live", null);
      Path b = Fixtures.bundle(dir.resolve("b-nooom"), "sleep", "1000");
      Fixtures.withMemoryLimit(b, LIMIT);
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody("nooom", b)).status());
      assertEquals(204, api.delete("/v1/containers/nooom?force=1").status());

      List<String> types = new ArrayList<>();
      for (JsonObject e; !types.contains("delete"); ) {
        e = events.events.poll(60, TimeUnit.SECONDS);
        assertTrue(e != null, "no delete event within 60 s; saw " + types);
        types.add(e.get("type").getAsString());
      }
      // The cgroup is gone now; a late v1 eventfd wakeup would have been reported by here.
      JsonObject late = events.events.poll(500, TimeUnit.MILLISECONDS);
      assertEquals(List.of("start-container", "exit", "delete"), types);
      assertEquals(null, late);
    }
  }

  private static List<String> typesUntilExit(Api.EventStream events) throws Exception {
    List<String> types = new ArrayList<>();
    while (types.isEmpty() || !types.get(types.size() - 1).startsWith("exit")) {
      JsonObject e = events.events.poll(60, TimeUnit.SECONDS);
      assertTrue(e != null, "no exit within 60 s; saw " + types);
      String t = e.get("type").getAsString();
      types.add(e.has("status") ? t + "(" + e.get("status").getAsInt() + ")" : t);
    }
    return types;
  }
}
