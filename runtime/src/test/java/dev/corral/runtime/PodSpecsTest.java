package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodSpecsTest {
  @TempDir Path dir;

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  private static JsonArray namespaces(JsonObject spec) {
    return spec.getAsJsonObject("linux").getAsJsonArray("namespaces");
  }

  @Test
  void sandboxRunsCatatonitInPauseModeWithTheHostnameAndFiveNewNamespaces() {
    JsonObject spec = PodSpecs.sandbox(dir, "web-0", Resources.NONE, "/corral/default/pod-u1");
    JsonObject process = spec.getAsJsonObject("process");
    assertEquals(Specs.strings(List.of("/catatonit", "-P")), process.get("args"));
    assertFalse(process.get("terminal").getAsBoolean());
    assertEquals("web-0", spec.get("hostname").getAsString());
    assertEquals(dir.toString(), spec.getAsJsonObject("root").get("path").getAsString());
    assertTrue(spec.getAsJsonObject("root").get("readonly").getAsBoolean());
    assertEquals(
        json("{\"n\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
                + "{\"type\":\"uts\"},{\"type\":\"mount\"}]}")
            .get("n"),
        namespaces(spec));
    assertEquals(
        "/corral/default/pod-u1", spec.getAsJsonObject("linux").get("cgroupsPath").getAsString());
  }

  @Test
  void writeSandboxWritesTheConfigIntoTheBundleDir() throws Exception {
    Path bundle = dir.resolve("bundle");
    Path rootfs = Files.createDirectory(dir.resolve("rootfs"));
    assertEquals(
        bundle, PodSpecs.writeSandbox(rootfs, "h", Resources.NONE, bundle, "pod-u1", "/corral"));
    JsonObject written = json(Files.readString(bundle.resolve("config.json")));
    assertEquals(PodSpecs.sandbox(rootfs, "h", Resources.NONE, "/corral/pod-u1"), written);
  }

  @Test
  void badHostnamesAreRefusedNamingTheField() {
    PodSpecs.requireHostname("a");
    PodSpecs.requireHostname("web-0.pods.example");
    PodSpecs.requireHostname("a".repeat(63));
    PodSpecs.requireHostname("a".repeat(32) + "." + "b".repeat(31));
    for (String bad :
        new String[] {
          "", "-a", "a-", "a..b", ".a", "a.", "a_b", "a b", "é", "a".repeat(64), "a".repeat(65)
        }) {
      CorralException e =
          assertThrows(CorralException.class, () -> PodSpecs.requireHostname(bad), bad);
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
      assertTrue(e.getMessage().startsWith("hostname: "), e.getMessage());
    }
    assertThrows(
        CorralException.class, () -> PodSpecs.sandbox(dir, "a_b", Resources.NONE, "/corral/p"));
  }

  @Test
  void joiningPointsNetIpcAndUtsAtTheSandboxAndKeepsTheOthers() {
    JsonObject spec = Specs.generate(dir, ProcessSpec.of(List.of("sh")), Resources.NONE, "/c/x");
    assertSame(spec, PodSpecs.joinSandbox(spec, 4242));
    assertEquals(
        json("{\"n\":[{\"type\":\"pid\"},"
                + "{\"type\":\"network\",\"path\":\"/proc/4242/ns/net\"},"
                + "{\"type\":\"ipc\",\"path\":\"/proc/4242/ns/ipc\"},"
                + "{\"type\":\"uts\",\"path\":\"/proc/4242/ns/uts\"},"
                + "{\"type\":\"mount\"}]}")
            .get("n"),
        namespaces(spec));
    assertFalse(spec.has("hostname"), "runc would sethostname in the pod's uts namespace");
  }

  @Test
  void joiningReplacesPathsDropsDuplicatesAndAddsMissingTypes() {
    JsonObject spec =
        json(
            "{\"hostname\":\"mine\",\"domainname\":\"d\",\"process\":{\"args\":[\"sh\"]},"
                + "\"linux\":{\"namespaces\":["
                + "{\"type\":\"user\"},"
                + "{\"type\":\"network\",\"path\":\"/var/run/netns/host\"},"
                + "{\"type\":\"cgroup\"},"
                + "{\"type\":\"network\"}]}}");
    PodSpecs.joinSandbox(spec, 7);
    assertEquals(
        json(
            "{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"namespaces\":["
                + "{\"type\":\"user\"},"
                + "{\"type\":\"network\",\"path\":\"/proc/7/ns/net\"},"
                + "{\"type\":\"cgroup\"},"
                + "{\"type\":\"ipc\",\"path\":\"/proc/7/ns/ipc\"},"
                + "{\"type\":\"uts\",\"path\":\"/proc/7/ns/uts\"}]}}"),
        spec);
  }

  @Test
  void joiningASpecWithoutLinuxAddsIt() {
    JsonObject spec = PodSpecs.joinSandbox(json("{\"ociVersion\":\"1.0.2\"}"), 1);
    assertEquals(3, namespaces(spec).size());
    assertEquals("1.0.2", spec.get("ociVersion").getAsString());
  }

  @Test
  void joiningRefusesABadPidAndMalformedNamespaces() {
    for (long pid : new long[] {0, -1}) {
      CorralException e =
          assertThrows(CorralException.class, () -> PodSpecs.joinSandbox(json("{}"), pid));
      assertTrue(e.getMessage().startsWith("sandbox pid: "), e.getMessage());
    }
    CorralException linux =
        assertThrows(CorralException.class, () -> PodSpecs.joinSandbox(json("{\"linux\":[]}"), 1));
    assertEquals(ErrorKind.INVALID_ARGUMENT, linux.kind());
    assertEquals("spec: linux must be an object", linux.getMessage());
    CorralException ns =
        assertThrows(
            CorralException.class,
            () -> PodSpecs.joinSandbox(json("{\"linux\":{\"namespaces\":{}}}"), 1));
    assertEquals("spec: linux.namespaces must be an array", ns.getMessage());
  }

  @Test
  void joiningABundleRewritesItsConfigAndLeavesTheRest() throws Exception {
    Path rootfs = Files.createDirectory(dir.resolve("rootfs"));
    Path bundle = dir.resolve("bundle");
    Specs.write(
        "rootfs",
        rootfs,
        ProcessSpec.of(List.of("sleep", "1")),
        Resources.NONE,
        bundle,
        "c1",
        "/corral");
    JsonObject before = json(Files.readString(bundle.resolve("config.json")));
    PodSpecs.joinSandboxBundle(bundle, 99);
    JsonObject after = json(Files.readString(bundle.resolve("config.json")));
    assertEquals(PodSpecs.joinSandbox(before, 99), after);
    assertEquals(before.get("process"), after.get("process"));
    try (var files = Files.list(bundle)) {
      assertEquals(List.of(bundle.resolve("config.json")), files.toList(), "no temp file left");
    }
  }
}
