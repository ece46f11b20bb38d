package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.core.ContainerRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecPiecesTest {
  @TempDir Path dir;

  @Test
  void execConmonArgvAddsExecModeAndUsesTheExecsOwnDirs() {
    ExecLauncher l =
        new ExecLauncher(
            Path.of("/usr/bin/conmon"),
            Path.of("/usr/sbin/runc"),
            ns -> Path.of("/r/runc"),
            Path.of("/r/sock"),
            Duration.ofSeconds(1));
    Path d = Path.of("/r/containers/c1/execs/e1");
    ExecSpec spec =
        new ExecSpec(
            ContainerRef.of("c1"), "e1", d, d.resolve("process.json"), true, false, List.of());
    List<String> argv = l.argv(spec);
    String token = ShimToken.ofExec(ContainerRef.of("c1"), "e1");
    assertEquals(
        List.of(
            "/usr/bin/conmon",
            "--api-version",
            "1",
            "-c",
            "c1",
            "-u",
            token,
            "-n",
            "c1",
            "-r",
            "/usr/sbin/runc",
            "-b",
            d.toString(),
            "-p",
            d + "/exec.pid",
            "-P",
            d + "/conmon.pid",
            "-l",
            "k8s-file:" + d + "/exec.log",
            "--exit-dir",
            d + "/exits",
            "--persist-dir",
            d + "/persist",
            "--socket-dir-path",
            "/r/sock",
            "--log-level",
            "warn",
            "--no-sync-log",
            "--runtime-arg",
            "--root=/r/runc",
            "--exec",
            "--exec-process-spec",
            d + "/process.json",
            "-i"),
        argv);
    assertNotEquals(ShimToken.of(ContainerRef.of("c1")), token);
    assertEquals(ShimToken.LENGTH, token.length());
  }

  @Test
  void theExecProcessKeepsTheContainersSettingsUnderTheRequest() throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        "{\"process\":{\"args\":[\"sleep\",\"9\"],\"env\":[\"PATH=/bin\",\"A=old\"],"
            + "\"cwd\":\"/\",\"user\":{\"uid\":5,\"gid\":6},\"capabilities\":{\"bounding\":[\"X\"]},"
            + "\"consoleSize\":{\"height\":1,\"width\":1}}}");
    Path out = dir.resolve("process.json");
    ProcessSpecs.write(
        config,
        new ExecProcessSpec(
            List.of("sh", "-c", "exit 7"), List.of("A=new", "B=2"), "/tmp", 0, null, true),
        out);
    JsonObject p = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    assertEquals("[\"sh\",\"-c\",\"exit 7\"]", p.get("args").toString());
    assertEquals("[\"PATH=/bin\",\"A=new\",\"B=2\"]", p.get("env").toString());
    assertEquals("/tmp", p.get("cwd").getAsString());
    assertEquals("{\"uid\":0,\"gid\":0}", p.get("user").toString());
    assertTrue(p.get("terminal").getAsBoolean());
    assertEquals("{\"bounding\":[\"X\"]}", p.get("capabilities").toString());
    assertFalse(p.has("consoleSize"));

    ProcessSpecs.write(
        config,
        new ExecProcessSpec(
            List.of("sh"),
            List.of(),
            null,
            null,
            null,
            true,
            new ExecProcessSpec.ConsoleSize(37, 111)),
        out);
    p = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    assertEquals("{\"height\":37,\"width\":111}", p.get("consoleSize").toString());
  }

  @Test
  void deletingAContainerRemovesItsExecLinksButNoOtherContainers() throws Exception {
    Path sock = Files.createDirectories(dir.resolve("sock"));
    Path c1 = dir.resolve("containers/c1");
    Path c10 = dir.resolve("containers/c10");
    Files.createSymbolicLink(
        sock.resolve(ShimToken.of(ContainerRef.of("c1"))), c1.resolve("bundle"));
    Files.createSymbolicLink(
        sock.resolve(ShimToken.ofExec(ContainerRef.of("c1"), "e1")), c1.resolve("execs/e1"));
    Files.createSymbolicLink(
        sock.resolve(ShimToken.of(ContainerRef.of("c10"))), c10.resolve("bundle"));
    ShimLinks.removeAll(sock, ShimToken.of(ContainerRef.of("c1")));
    try (var left = Files.list(sock)) {
      assertEquals(List.of(sock.resolve(ShimToken.of(ContainerRef.of("c10")))), left.toList());
    }
  }

  @Test
  void aRestoreIsACreateWithConmonsRestoreFlag() {
    ConmonLauncher l =
        new ConmonLauncher(
            Path.of("/usr/bin/conmon"),
            Path.of("/usr/sbin/runc"),
            ns -> Path.of("/r/runc"),
            Path.of("/r/sock"),
            Duration.ofSeconds(1));
    Path d = Path.of("/r/containers/c2");
    CreateSpec spec =
        new CreateSpec(
            ContainerRef.of("c2"),
            d.resolve("bundle"),
            d.resolve("persist"),
            d.resolve("exits"),
            d.resolve("container.log"),
            d.resolve("init.pid"),
            d.resolve("conmon.pid"),
            false,
            false,
            List.of(),
            Path.of("/r/containers/c1/checkpoints/cp1"));
    List<String> argv = l.argv(spec);
    assertEquals(
        List.of("--restore", "/r/containers/c1/checkpoints/cp1"),
        argv.subList(argv.size() - 2, argv.size()));
  }
}
