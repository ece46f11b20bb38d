package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's namespace and pod commands, in process, against a real corrald: what its unit tests
 * check against a canned daemon, here with real runc, conmon, catatonit and busybox.
 */
class CliPodsIT {
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

  @Test
  void aPodIsMadeJoinedListedInspectedAndRemovedWithTheCliInANamespace() throws Exception {
    CliIT.Result made =
        cli("-n", "shop", "pod", "create", "--uid", "p1", "--hostname", "web-0", "web");
    assertEquals(0, made.code(), made.err());
    assertEquals("p1\n", made.out());

    CliIT.Result run =
        cli(
            "-n",
            "shop",
            "run",
            "-d",
            "--pod",
            "p1",
            "--name",
            "app",
            "--rootfs",
            rootfs.toString(),
            "sleep",
            "1000");
    assertEquals(0, run.code(), run.err());
    String id = run.out().strip();

    CliIT.Result ls = cli("-n", "shop", "pod", "ls");
    assertEquals(0, ls.code(), ls.err());
    assertTrue(ls.out().lines().anyMatch(l -> l.startsWith("p1") && l.contains("ready")), ls.out());
    assertFalse(cli("pod", "ls").out().contains("p1"), "the default namespace has no pod");

    CliIT.Result inspect = cli("-n", "shop", "pod", "inspect", "p1");
    assertEquals(0, inspect.code(), inspect.err());
    JsonObject pod =
        JsonParser.parseString(inspect.out()).getAsJsonArray().get(0).getAsJsonObject();
    assertEquals("ready", pod.getAsJsonObject("sandbox").get("state").getAsString());
    JsonArray members = pod.getAsJsonArray("containers");
    assertEquals(1, members.size());
    assertEquals(id, members.get(0).getAsJsonObject().get("id").getAsString());
    assertEquals("app", members.get(0).getAsJsonObject().get("name").getAsString());

    CliIT.Result ns = cli("namespace", "ls");
    assertTrue(
        ns.out().lines().anyMatch(l -> l.matches("shop\\s+2\\s+1")), ns.out()); // sandbox + app

    CliIT.Result busy = cli("namespace", "rm", "shop");
    assertEquals(1, busy.code());
    assertTrue(busy.err().contains("namespace shop: not empty"), busy.err());

    CliIT.Result rm = cli("-n", "shop", "pod", "rm", "-f", "p1");
    assertEquals(0, rm.code(), rm.err());
    try (Api api = daemon.api()) {
      Api.Reply gone = api.call("GET", "/v1/pods/p1?namespace=shop", null);
      assertEquals(404, gone.status(), gone.body());
      assertEquals(404, api.call("GET", "/v1/containers/" + id + "?namespace=shop", null).status());
    }
    assertEquals(0, cli("namespace", "rm", "shop").code());
    assertFalse(cli("namespace", "ls").out().contains("shop"));
  }

  @Test
  void runWithAPodButNoNameIsAUsageErrorAndIntoAnUnknownPodNamesThePod() {
    CliIT.Result noName =
        cli("run", "-d", "--pod", "p9", "--rootfs", rootfs.toString(), "sleep", "1");
    assertEquals(125, noName.code());
    assertTrue(noName.err().contains("--name"), noName.err());
    CliIT.Result unknown =
        cli("run", "-d", "--pod", "p9", "--name", "x", "--rootfs", rootfs.toString(), "sleep", "1");
    assertTrue(unknown.code() != 0, unknown.out());
    assertTrue(unknown.err().contains("pod p9: not found"), unknown.err());
  }
}
