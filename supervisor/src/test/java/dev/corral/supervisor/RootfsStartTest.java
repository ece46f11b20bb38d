package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.ProcessRequest;
import dev.corral.supervisor.task.ResourceLimits;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsStartTest {
  @TempDir Path tmp;
  Harness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
  }

  private Reply<ContainerView> start(String id, Path rootfs) {
    CreateRequest r =
        new CreateRequest(
            ContainerRef.of(id),
            null,
            Map.of(),
            false,
            false,
            List.of(),
            rootfs,
            ProcessRequest.of(List.of("echo", "hi")),
            new ResourceLimits(64L << 20, null, null, null, null));
    StartTask t = new StartTask(r, new Reply<>());
    h.handle(t);
    h.settle();
    return t.reply();
  }

  @Test
  void aRootfsRequestRunsFromASpecGeneratedInTheContainersBundleDir() throws Exception {
    Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
    ContainerView v = start("r1", rootfs).await(Duration.ofSeconds(1));
    assertEquals("running", v.status());
    assertEquals(List.of("create r1", "start r1"), h.runtime.calls);
    Path config = h.state.paths(ContainerRef.of("r1")).bundle().resolve("config.json");
    JsonObject spec = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
    assertEquals(rootfs.toString(), spec.getAsJsonObject("root").get("path").getAsString());
    assertEquals(
        "/corral/default/r1", spec.getAsJsonObject("linux").get("cgroupsPath").getAsString());
  }

  @Test
  void aMissingRootfsIsInvalidArgumentAndLeavesNothing() {
    Reply<ContainerView> r = start("r2", tmp.resolve("absent"));
    CorralException e = assertThrows(CorralException.class, () -> r.await(Duration.ofSeconds(1)));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().startsWith("rootfs: "), e.getMessage());
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("r2"))));
    assertFalse(h.runtime.calls.contains("create r2"), h.runtime.calls.toString());
  }

  @Test
  void bundleAndRootfsExcludeEachOther() {
    ProcessRequest sh = ProcessRequest.of(List.of("sh"));
    Path abs = tmp.toAbsolutePath();
    assertEquals(
        "rootfs: give either bundle or rootfs, not both",
        refused(
            () ->
                new CreateRequest(
                    ContainerRef.of("x"), abs, null, false, false, null, abs, sh, null)));
    assertEquals(
        "process: is required with rootfs",
        refused(
            () ->
                new CreateRequest(
                    ContainerRef.of("x"), null, null, false, false, null, abs, null, null)));
    assertEquals(
        "process: only with rootfs; a bundle has its own config.json",
        refused(
            () ->
                new CreateRequest(
                    ContainerRef.of("x"), abs, null, false, false, null, null, sh, null)));
    assertEquals(
        "rootfs: rel is not an absolute path",
        refused(
            () ->
                new CreateRequest(
                    ContainerRef.of("x"),
                    null,
                    null,
                    false,
                    false,
                    null,
                    Path.of("rel"),
                    sh,
                    null)));
  }

  private static String refused(Runnable r) {
    CorralException e = assertThrows(CorralException.class, r::run);
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    return e.getMessage();
  }
}
