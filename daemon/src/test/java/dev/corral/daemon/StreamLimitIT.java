package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --max-streams: long-lived streams past the cap get 503 naming the limit, while short requests are
 * still answered; a stream that ends frees its slot.
 */
class StreamLimitIT {
  @TempDir Path dir;

  @Test
  void streamsPastTheCapAreRefusedAndTheRestOfTheApiStillAnswers() throws Exception {
    try (Corrald d = Corrald.start(dir, "--max-streams", "2");
        Api api = d.api()) {
      Path bundle = Fixtures.bundle(dir.resolve("b"), "sleep", "1000");
      assertEquals(
          201,
          api.post("/v1/containers", "{\"id\":\"s1\",\"bundle\":\"" + bundle + "\"}").status());
      Api.EventStream first = api.events("");
      Api.EventStream second = api.events("");
      assertEquals(200, first.status);
      assertEquals(200, second.status);

      for (String path :
          new String[] {
            "/v1/events", "/v1/containers/s1/logs?follow=1", "/v1/containers/s1/stats?stream=1"
          }) {
        Api.Reply refused = api.get(path);
        assertEquals(503, refused.status(), path + ": " + refused.body());
        assertEquals("unavailable", refused.code());
        assertTrue(refused.message().contains("--max-streams limit is 2"), refused.message());
      }
      // What does not stream is not capped.
      assertEquals(200, api.get("/v1/_ping").status());
      assertEquals(200, api.get("/v1/containers/s1/logs").status());
      assertEquals(200, api.get("/v1/containers/s1/stats").status());
      assertEquals(200, api.get("/v1/containers").status());

      first.close();
      Api.EventStream third = awaitStream(api);
      assertEquals(200, third.status);
      third.close();
      second.close();
      assertEquals(204, api.delete("/v1/containers/s1?force=1").status());
    }
  }

  /**
   * The closed stream's handler notices at its next keep-alive write and frees its slot; until then
   * a new stream is refused, so retry (the stream itself, not a probe that would take the slot for
   * a moment).
   */
  private static Api.EventStream awaitStream(Api api) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Api.EventStream s = api.events("");
      if (s.status == 200) {
        return s;
      }
      s.close();
      assertEquals(503, s.status);
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no stream slot freed within 30 s of a close");
      }
      Thread.sleep(50);
    }
  }
}
