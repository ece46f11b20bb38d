package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecsTest {
  @TempDir Path dir;

  private static final ProcessSpec SH = ProcessSpec.of(List.of("sh"));

  /** What the installed runc generates (runc spec needs no root and touches nothing else). */
  private JsonObject runcSpec() throws Exception {
    Path scratch = Files.createDirectory(dir.resolve("runc-spec"));
    Path runc = Binaries.require("runc", null);
    Process p = new ProcessBuilder(runc.toString(), "spec").directory(scratch.toFile()).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "runc spec timed out");
    assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes()));
    return JsonParser.parseString(Files.readString(scratch.resolve("config.json")))
        .getAsJsonObject();
  }

  @Test
  void defaultsHaveTheStructureOfRuncSpec() throws Exception {
    JsonObject runc = runcSpec();
    JsonObject ours = Specs.generate(dir, SH, Resources.NONE, "/corral/c1");
    assertEquals(runc.keySet(), ours.keySet());
    assertEquals(runc.get("mounts"), ours.get("mounts"));
    JsonObject rl = runc.getAsJsonObject("linux");
    JsonObject ol = ours.getAsJsonObject("linux");
    for (String k : List.of("namespaces", "maskedPaths", "readonlyPaths", "resources")) {
      assertEquals(rl.get(k), ol.get(k), k);
    }
    JsonObject rp = runc.getAsJsonObject("process");
    JsonObject op = ours.getAsJsonObject("process");
    assertEquals(rp.keySet(), op.keySet());
    for (String k : List.of("user", "args", "cwd", "capabilities", "rlimits", "noNewPrivileges")) {
      assertEquals(rp.get(k), op.get(k), k);
    }
    assertEquals(runc.getAsJsonObject("root").keySet(), ours.getAsJsonObject("root").keySet());
  }

  @Test
  void processComesFromTheRequest() {
    ProcessSpec p =
        new ProcessSpec(List.of("sh", "-c", "echo hi"), List.of("A=1"), "/tmp", true, 1000, 100);
    JsonObject o = Specs.generate(dir, p, Resources.NONE, "/corral/c1").getAsJsonObject("process");
    assertEquals(Specs.strings(List.of("sh", "-c", "echo hi")), o.get("args"));
    assertEquals(
        Specs.strings(List.of(Specs.DEFAULT_PATH, "TERM=xterm", "A=1")), o.getAsJsonArray("env"));
    assertEquals("/tmp", o.get("cwd").getAsString());
    assertTrue(o.get("terminal").getAsBoolean());
    assertEquals(1000, o.getAsJsonObject("user").get("uid").getAsInt());
    assertEquals(100, o.getAsJsonObject("user").get("gid").getAsInt());
  }

  @Test
  void requestEnvReplacesADefaultOfTheSameKey() {
    ProcessSpec p = new ProcessSpec(List.of("sh"), List.of("PATH=/bin", "B=2"), null, false, 0, 0);
    assertEquals(List.of("PATH=/bin", "B=2"), Specs.env(p));
  }

  @Test
  void resourcesRootAndCgroupComeFromTheRequest() {
    Resources r = new Resources(64L << 20, 50L, 512L, 50_000L, 100_000L);
    JsonObject spec = Specs.generate(dir, SH, r, "/corral/c1");
    JsonObject res = spec.getAsJsonObject("linux").getAsJsonObject("resources");
    assertEquals(64L << 20, res.getAsJsonObject("memory").get("limit").getAsLong());
    assertEquals(50, res.getAsJsonObject("pids").get("limit").getAsLong());
    JsonObject cpu = res.getAsJsonObject("cpu");
    assertEquals(512, cpu.get("shares").getAsLong());
    assertEquals(50_000, cpu.get("quota").getAsLong());
    assertEquals(100_000, cpu.get("period").getAsLong());
    assertEquals(1, res.getAsJsonArray("devices").size());
    assertEquals("/corral/c1", spec.getAsJsonObject("linux").get("cgroupsPath").getAsString());
    assertEquals(dir.toString(), spec.getAsJsonObject("root").get("path").getAsString());
  }

  @Test
  void writeCreatesConfigJsonInTheTargetDir() throws Exception {
    Path rootfs = Files.createDirectory(dir.resolve("rootfs"));
    Path target = dir.resolve("bundle");
    Specs.write("rootfs", rootfs, SH, Resources.NONE, target, "c1", "/corral");
    JsonObject o =
        JsonParser.parseString(Files.readString(target.resolve("config.json"))).getAsJsonObject();
    assertEquals(rootfs.toString(), o.getAsJsonObject("root").get("path").getAsString());
    JsonArray args = o.getAsJsonObject("process").getAsJsonArray("args");
    assertEquals("sh", args.get(0).getAsString());
  }

  @Test
  void badRootfsIsRefusedNamingTheField() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path target = dir.resolve("bundle");
    assertEquals(
        "rootfs: relative is not an absolute path",
        refused(
            () ->
                Specs.write(
                    "rootfs", Path.of("relative"), SH, Resources.NONE, target, "c1", "/corral")));
    assertTrue(
        refused(
                () ->
                    Specs.write(
                        "rootfs", dir.resolve("nope"), SH, Resources.NONE, target, "c1", "/corral"))
            .endsWith("does not exist"));
    assertTrue(
        refused(() -> Specs.write("rootfs", file, SH, Resources.NONE, target, "c1", "/corral"))
            .endsWith("is not a directory"));
    assertFalse(Files.exists(target));
  }

  @Test
  void badProcessFieldsAreRefusedNamingTheField() {
    assertEquals(
        "process.args: must not be empty",
        refused(() -> new ProcessSpec(List.of(), List.of(), "/", false, 0, 0)));
    assertEquals(
        "process.env: \"NOEQUALS\" is not KEY=VALUE",
        refused(() -> new ProcessSpec(List.of("sh"), List.of("NOEQUALS"), "/", false, 0, 0)));
    assertEquals(
        "process.cwd: tmp is not an absolute path",
        refused(() -> new ProcessSpec(List.of("sh"), List.of(), "tmp", false, 0, 0)));
    assertTrue(
        refused(() -> new Resources(1024L, null, null, null, null))
            .startsWith("resources.memory.limit: 1024 is below"));
    assertEquals(
        "resources.pids.limit: must be positive, not 0",
        refused(() -> new Resources(null, 0L, null, null, null)));
  }

  private static String refused(Runnable r) {
    CorralException e = assertThrows(CorralException.class, r::run);
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    return e.getMessage();
  }
}
