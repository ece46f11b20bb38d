package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.ProcessRequest;
import dev.corral.supervisor.task.ResourceChange;
import dev.corral.supervisor.task.ResourceLimits;
import dev.corral.supervisor.task.ResourcesView;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.task.UpdateTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container's JSON is a full inspect: spec, resources as applied, processes, exit facts. */
class InspectTest {
  private static final Duration T = Duration.ofSeconds(1);
  @TempDir Path tmp;
  Harness h;
  Path rootfs;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    rootfs = Files.createDirectory(tmp.resolve("rootfs"));
    CreateRequest r =
        new CreateRequest(
            ContainerRef.of("i1"),
            null,
            Map.of("app", "web"),
            false,
            false,
            List.of(),
            rootfs,
            new ProcessRequest(List.of("sleep", "9"), List.of("A=1"), "/tmp", false, 7, 8),
            new ResourceLimits(64L << 20, 20L, 512L, null, null));
    StartTask t = new StartTask(r, new Reply<>());
    h.handle(t);
    h.settle();
    t.reply().await(T);
  }

  private ContainerView get() {
    GetContainersTask t = new GetContainersTask("default", "i1", Map.of(), new Reply<>());
    h.handle(t);
    return t.reply().await(T).get(0);
  }

  @Test
  void theSpecsProcessRootAndResourcesAreShown() {
    ContainerView v = get();
    assertEquals(List.of("sleep", "9"), v.process().args());
    assertTrue(v.process().env().contains("A=1"), v.process().env().toString());
    assertEquals("/tmp", v.process().cwd());
    assertEquals(7, v.process().user().uid());
    assertEquals(8, v.process().user().gid());
    assertEquals(rootfs.toString(), v.root().path());
    assertTrue(v.root().readonly());
    assertEquals(rootfs.toString(), v.rootfs());
    assertNull(v.bundle());
    assertEquals(ResourcesView.of(64L << 20, 512L, null, null, 20L), v.resources());
    assertEquals(Map.of("app", "web"), v.labels());
    assertEquals(List.of("init"), v.processes().stream().map(p -> p.id()).toList());
    assertFalse(v.oomKilled());
  }

  @Test
  void anUpdateShowsInTheResourcesOverWhatWasThere() {
    UpdateTask u =
        new UpdateTask(
            ContainerRef.of("i1"),
            UpdateTask.Action.RESOURCES,
            new ResourceChange(null, null, 50_000L, 100_000L, -1L),
            new Reply<>());
    h.handle(u);
    h.settle();
    ResourcesView want = ResourcesView.of(64L << 20, 512L, 50_000L, 100_000L, -1L);
    assertEquals(want, u.reply().await(T).resources());
    assertEquals(want, get().resources());
    assertEquals(
        want,
        dev.corral.supervisor.task.SpecView.read(h.state.paths(ContainerRef.of("i1")).bundle())
            .resources(),
        "the daemon's config.json keeps the limits applied, for a restarted daemon");
  }

  @Test
  void anExitDatedBeforeTheStartIsDatedAtTheStart() {
    ContainerView running = get();
    h.handle(new ExitTask(ContainerRef.of("i1"), "init", OptionalInt.of(0), Instant.EPOCH));
    ContainerView v = get();
    assertEquals("stopped", v.status());
    assertEquals(running.startedAt(), v.exitedAt());
    assertEquals(v.exitedAt(), v.processes().get(0).exitedAt());
  }
}
