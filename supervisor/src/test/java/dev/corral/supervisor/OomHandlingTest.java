package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.metrics.CgroupTarget;
import dev.corral.supervisor.task.DeleteTask;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.ExitView;
import dev.corral.supervisor.task.OOMTask;
import dev.corral.supervisor.task.WaitTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OOMTask on the loop: the event, its order before the exit, and what wait and status say. */
class OomHandlingTest {
  @TempDir Path tmp;
  Harness h;
  Path bundle;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    bundle = Harness.bundle(tmp.resolve("bundle"));
  }

  @Test
  void anOomKillPrecedesItsExitAndMarksTheExit() throws Exception {
    h.startRunning("c1", bundle);
    h.handle(new OOMTask(ContainerRef.of("c1")));
    h.exit("c1", 137);

    assertEquals(List.of("start-container", "oom", "exit(137)"), h.eventTypes());
    ExitView v = waitFor("c1");
    assertEquals(new ExitView(137, v.exitedAt(), true, "OOMKilled"), v);
    assertEquals(1, h.metrics.oomKills.getCount());
    assertEquals(1, h.metrics.exits.getCount());
  }

  @Test
  void anOomDuringCreationComesRightAfterStartContainer() throws Exception {
    h.start("c1", bundle);
    h.jobs.poll().run(); // the start worker ran; its result is still in the ring
    h.handle(new OOMTask(ContainerRef.of("c1")));
    h.handle(new ExitTask(ContainerRef.of("c1"), "init", OptionalInt.of(137), Instant.now()));
    h.settle();

    assertEquals(List.of("start-container", "oom", "exit(137)"), h.eventTypes());
    assertTrue(waitFor("c1").oomKilled());
  }

  @Test
  void aSecondReportOrOneAfterTheExitIsIgnored() throws Exception {
    h.startRunning("c1", bundle);
    h.handle(new OOMTask(ContainerRef.of("c1")));
    h.handle(new OOMTask(ContainerRef.of("c1")));
    h.exit("c1", 137);
    h.handle(new OOMTask(ContainerRef.of("c1")));
    h.handle(new OOMTask(ContainerRef.of("unknown")));

    assertEquals(List.of("start-container", "oom", "exit(137)"), h.eventTypes());
    assertEquals(1, h.metrics.oomKills.getCount());
    assertEquals(0, h.metrics.taskErrors.getCount());
  }

  @Test
  void aPlainKillIsNoOom() throws Exception {
    h.startRunning("c1", bundle);
    h.exit("c1", 137);
    ExitView v = waitFor("c1");
    assertFalse(v.oomKilled());
    assertNull(v.reason());
    assertEquals(List.of("start-container", "exit(137)"), h.eventTypes());
  }

  @Test
  void theLoopPublishesContainerCountsForTheScrape() {
    h.startRunning("c1", bundle);
    h.startRunning("c2", bundle);
    h.exit("c2", 0);
    String text =
        new String(
            dev.corral.metrics.MetricsText.scrape(h.metrics.prometheus()),
            java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("corral_containers{state=\"running\"} 1.0\n"), text);
    assertTrue(text.contains("corral_containers{state=\"stopped\"} 1.0\n"), text);
    assertTrue(text.contains("corral_event_subscribers 1.0\n"), text);
  }

  @Test
  void theLoopPublishesTheLiveCgroupsOnlyAnew() throws Exception {
    h.startRunning("c1", bundle);
    Set<CgroupTarget> one = h.metrics.liveContainers();
    assertEquals(Set.of(ContainerRef.of("c1")), refs(one));
    h.handle(new OOMTask(ContainerRef.of("unknown"))); // a batch that changes nothing
    assertSame(one, h.metrics.liveContainers(), "an unchanged set is not built again");
    h.startRunning("c2", bundle);
    h.exit("c2", 0); // stopped: its cgroup stays until the delete
    assertEquals(
        Set.of(ContainerRef.of("c1"), ContainerRef.of("c2")), refs(h.metrics.liveContainers()));
    DeleteTask d = new DeleteTask(ContainerRef.of("c2"), false, new Reply<>());
    h.handle(d);
    h.settle();
    d.reply().await(Duration.ofSeconds(5));
    h.settle();
    assertEquals(Set.of(ContainerRef.of("c1")), refs(h.metrics.liveContainers()));
  }

  private static Set<ContainerRef> refs(Set<CgroupTarget> s) {
    return s.stream().map(CgroupTarget::ref).collect(Collectors.toSet());
  }

  private ExitView waitFor(String id) {
    WaitTask w = new WaitTask(ContainerRef.of(id), new Reply<>());
    h.handle(w);
    return w.reply().await(Duration.ofSeconds(1));
  }
}
