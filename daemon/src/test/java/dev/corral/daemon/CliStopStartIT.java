package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code corral stop}, {@code start} and {@code --restart}, against a real corrald. */
class CliStopStartIT {
  @TempDir static Path dir;
  static Corrald daemon;
  static Path rootfs;

  @BeforeAll
  static void start() throws Exception {
    daemon = Corrald.start(dir);
    rootfs = Fixtures.bundle(dir.resolve("busybox")).resolve("rootfs");
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.stop();
    Fixtures.cleanUp(daemon);
  }

  private static CliIT.Result cli(String... args) {
    return CliIT.cli(daemon.socket, args);
  }

  private static JsonObject inspect(Api api, String id) throws Exception {
    return api.get("/v1/containers/" + id).json();
  }

  @Test
  void stopKeepsAnAlwaysContainerStoppedAndStartRunsItAgain() throws Exception {
    CliIT.Result run =
        cli(
            "run",
            "-d",
            "--restart",
            "always",
            "--rootfs",
            rootfs.toString(),
            "--name",
            "cs1",
            "--",
            "sh",
            "-c",
            "trap 'exit 0' TERM; sleep 100000 & wait");
    assertEquals(0, run.code(), run.err());
    try (Api api = daemon.api()) {
      assertEquals(
          "always", inspect(api, "cs1").getAsJsonObject("restartPolicy").get("name").getAsString());
      CliIT.Result stop = cli("stop", "-t", "5", "cs1");
      assertEquals(0, stop.code(), stop.err());
      assertEquals("cs1\n", stop.out());
      assertEquals("stopped", inspect(api, "cs1").get("status").getAsString());
      CliIT.Result update = cli("update", "--restart", "on-failure:2", "cs1");
      assertEquals(0, update.code(), update.err());
      JsonObject policy = inspect(api, "cs1").getAsJsonObject("restartPolicy");
      assertEquals(2, policy.get("maximumRetryCount").getAsInt());
      CliIT.Result start = cli("start", "cs1");
      assertEquals(0, start.code(), start.err());
      assertEquals("running", inspect(api, "cs1").get("status").getAsString());
      CliIT.Result again = cli("start", "cs1");
      assertEquals(1, again.code());
      assertTrue(again.err().contains("only a stopped container can be started"), again.err());
      CliIT.Result bad = cli("update", "--restart", "sometimes", "cs1");
      assertEquals(1, bad.code());
      assertTrue(bad.err().contains("restartPolicy.name"), bad.err());
      assertEquals(0, cli("rm", "-f", "cs1").code());
    }
  }
}
