package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.core.Timestamps;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.CreatePodTask;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.DeletePodTask;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.ListPodsTask;
import dev.corral.supervisor.task.PodPart;
import dev.corral.supervisor.task.PodRequest;
import dev.corral.supervisor.task.PodStatusTask;
import dev.corral.supervisor.task.PodStatusView;
import dev.corral.supervisor.task.ProcessRequest;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods on the loop, with a fake runtime: sandbox, members, the status cache, the sandbox's death.
 */
class PodLoopTest {
  private static final Duration T = Duration.ofSeconds(1);

  @TempDir Path tmp;
  Harness h;
  Path rootfs;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    Files.createDirectories(h.state.sandboxRootfs());
    rootfs = Files.createDirectories(tmp.resolve("rootfs"));
  }

  private PodStatusView createPod(String uid) {
    CreatePodTask t =
        new CreatePodTask(
            new PodRequest("default", uid, "web", "shop", "web-0", Map.of("tier", "front")),
            new Reply<>());
    h.handle(t);
    h.settle();
    return t.reply().await(T);
  }

  private Reply<ContainerView> join(String id, String uid, String name) {
    CreateRequest req =
        new CreateRequest(
                ContainerRef.of(id),
                null,
                Map.of(),
                false,
                false,
                List.of(),
                rootfs,
                ProcessRequest.of(List.of("sleep", "1")),
                null,
                null)
            .inPod(new PodPart.Join(uid, name), Map.of());
    StartTask t = new StartTask(req, new Reply<>());
    h.handle(t);
    h.settle();
    return t.reply();
  }

  private PodStatusView status(String uid) {
    PodStatusTask t = new PodStatusTask("default", uid, null, Duration.ZERO, new Reply<>());
    h.handle(t);
    return t.reply().await(T).orElseThrow();
  }

  private JsonObject spec(String id) throws Exception {
    Path cfg = h.state.paths(ContainerRef.of(id)).bundle().resolve("config.json");
    return JsonParser.parseString(Files.readString(cfg)).getAsJsonObject();
  }

  private List<Event> events() throws InterruptedException {
    List<Event> out = new ArrayList<>();
    for (Event e; (e = h.all.poll(Duration.ZERO)) != null; ) {
      if (e.type() != EventType.LIVE) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void aPodIsASandboxRunningCatatonitWithItsOwnNamespacesUnderThePodsCgroup() throws Exception {
    PodStatusView p = createPod("u1");
    assertEquals("ready", p.sandbox().state());
    assertEquals("pod-u1", p.sandbox().id());
    assertEquals("web_shop", p.fullName());
    assertTrue(p.containers().isEmpty());
    assertTrue(h.runtime.calls.contains("create pod-u1"), h.runtime.calls.toString());
    JsonObject spec = spec("pod-u1");
    assertEquals("web-0", spec.get("hostname").getAsString());
    assertEquals("[\"/catatonit\",\"-P\"]", spec.getAsJsonObject("process").get("args").toString());
    assertEquals(
        "/corral/default/pod-u1/pod-u1",
        spec.getAsJsonObject("linux").get("cgroupsPath").getAsString());
    List<Event> ev = events();
    assertEquals(EventType.POD_CREATE, ev.get(0).type());
    assertEquals("u1", ev.get(0).pod());
    assertNull(ev.get(0).id());
    assertTrue(
        ev.stream()
            .anyMatch(
                e ->
                    e.type() == EventType.START_CONTAINER
                        && "pod-u1".equals(e.id())
                        && "u1".equals(e.pod())));
    assertEquals(EventType.POD_READY, ev.get(ev.size() - 1).type());
  }

  @Test
  void aContainerJoinsTheSandboxsNamespacesWithTheKubeletsLabels() throws Exception {
    createPod("u1");
    ContainerView c = join("c1", "u1", "app").await(T);
    assertEquals("u1", c.labels().get("io.kubernetes.pod.uid"));
    assertEquals("web", c.labels().get("io.kubernetes.pod.name"));
    assertEquals("shop", c.labels().get("io.kubernetes.pod.namespace"));
    assertEquals("app", c.labels().get("io.kubernetes.container.name"));
    JsonObject spec = spec("c1");
    int sandboxPid = status("u1").sandbox().pid();
    String ns = spec.getAsJsonObject("linux").get("namespaces").toString();
    for (String type : List.of("network", "ipc", "uts")) {
      assertTrue(
          ns.contains("\"type\":\"" + type + "\",\"path\":\"/proc/" + sandboxPid + "/ns/"),
          type + " in " + ns);
    }
    assertFalse(spec.has("hostname"), "a container joining a uts namespace sets no host name");
    assertEquals(
        "/corral/default/pod-u1/c1",
        spec.getAsJsonObject("linux").get("cgroupsPath").getAsString());
    PodStatusView p = status("u1");
    assertEquals(1, p.containers().size());
    assertEquals("app", p.containers().get(0).name());
    assertEquals("running", p.containers().get(0).state());
  }

  @Test
  void joiningAnUnknownPodOrATakenNameIsRefusedAndLeavesNothing() throws Exception {
    CorralException unknown =
        assertThrows(CorralException.class, () -> join("c1", "nope", "app").await(T));
    assertEquals(ErrorKind.NOT_FOUND, unknown.kind());
    assertTrue(unknown.getMessage().contains("pod nope"), unknown.getMessage());
    createPod("u1");
    join("c1", "u1", "app").await(T);
    CorralException taken =
        assertThrows(CorralException.class, () -> join("c2", "u1", "app").await(T));
    assertEquals(ErrorKind.ALREADY_EXISTS, taken.kind());
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("c2"))));
    CreatePodTask again =
        new CreatePodTask(
            new PodRequest("default", "u1", "web", null, null, Map.of()), new Reply<>());
    h.handle(again);
    CorralException dup = assertThrows(CorralException.class, () -> again.reply().await(T));
    assertEquals(ErrorKind.ALREADY_EXISTS, dup.kind());
  }

  @Test
  void aWaitingStatusRequestIsAnsweredByTheChangeWithTheNewState() throws Exception {
    createPod("u1");
    join("c1", "u1", "app").await(T);
    PodStatusView before = status("u1");
    long t = Timestamps.parseNanos("t", before.timestamp());
    PodStatusTask wait =
        new PodStatusTask("default", "u1", t, Duration.ofSeconds(30), new Reply<>());
    h.handle(wait);
    assertFalse(wait.reply().isDone(), "nothing changed yet");
    h.exit("c1", 3);
    h.settle();
    PodStatusView after = wait.reply().await(T).orElseThrow();
    assertEquals("exited", after.containers().get(0).state());
    assertEquals(3, after.containers().get(0).exitCode());
    assertTrue(Timestamps.parseNanos("t", after.timestamp()) > t);
  }

  @Test
  void aWaitWithNoChangeIsAnsweredNotModifiedWhenItsTimeoutEnds() throws Exception {
    createPod("u1");
    long t = Timestamps.parseNanos("t", status("u1").timestamp());
    PodStatusTask wait =
        new PodStatusTask("default", "u1", t, Duration.ofMillis(20), new Reply<>());
    h.handle(wait);
    assertFalse(wait.reply().isDone());
    Thread.sleep(30); // past the deadline, which the timer's turn checks against the clock
    h.fire();
    assertEquals(Optional.empty(), wait.reply().await(T));
  }

  @Test
  void theSandboxsDeathMakesThePodNotReadyAndKillsItsContainers() throws Exception {
    createPod("u1");
    join("c1", "u1", "app").await(T);
    events();
    h.exit("pod-u1", 0);
    h.settle();
    assertEquals("notready", status("u1").sandbox().state());
    assertTrue(h.runtime.calls.contains("kill c1 9 --all"), h.runtime.calls.toString());
    assertTrue(events().stream().anyMatch(e -> e.type() == EventType.POD_NOTREADY));
    CorralException refused =
        assertThrows(CorralException.class, () -> join("c2", "u1", "two").await(T));
    assertEquals(ErrorKind.FAILED_PRECONDITION, refused.kind());
  }

  @Test
  void listingGroupsByLabelsAndShowsRunningContainersUnlessAll() throws Exception {
    createPod("u1");
    join("c1", "u1", "app").await(T);
    join("c2", "u1", "side").await(T);
    h.exit("c2", 0);
    h.settle();
    // A container made with the labels alone is grouped too.
    StartTask byLabels =
        new StartTask(
            new CreateRequest(
                ContainerRef.of("x1"),
                Harness.bundle(tmp.resolve("b")),
                Map.of("io.kubernetes.pod.uid", "u9", "io.kubernetes.pod.name", "other"),
                false,
                false,
                List.of()),
            new Reply<>());
    h.handle(byLabels);
    h.settle();
    ListPodsTask running = new ListPodsTask("default", false, new Reply<>());
    h.handle(running);
    List<PodStatusView> pods = running.reply().await(T);
    assertEquals(List.of("u1", "u9"), pods.stream().map(PodStatusView::uid).toList());
    assertEquals(List.of("c1"), pods.get(0).containers().stream().map(m -> m.id()).toList());
    assertNull(pods.get(1).sandbox());
    assertEquals("other", pods.get(1).name());
    ListPodsTask all = new ListPodsTask("default", true, new Reply<>());
    h.handle(all);
    assertEquals(2, all.reply().await(T).get(0).containers().size());
  }

  @Test
  void deletingAPodStopsAndDeletesItsContainersThenTheSandboxOnceEach() throws Exception {
    createPod("u1");
    join("c1", "u1", "app").await(T);
    DeletePodTask t = new DeletePodTask("default", "u1", true, new Reply<>());
    h.handle(t);
    h.settle();
    h.fire(); // the stop's grace (0 with force) ends: KILL
    assertTrue(h.runtime.calls.contains("kill c1 9 --all"), h.runtime.calls.toString());
    h.exit("c1", 137);
    h.settle();
    assertFalse(t.reply().isDone(), "the sandbox is still to go");
    assertTrue(h.runtime.calls.contains("kill pod-u1 9 --all"), h.runtime.calls.toString());
    h.exit("pod-u1", 0);
    h.settle();
    t.reply().await(T);
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("c1"))));
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("pod-u1"))));
    List<EventType> types = events().stream().map(Event::type).toList();
    assertEquals(EventType.POD_DELETE, types.get(types.size() - 1));
    assertEquals(1, types.stream().filter(x -> x == EventType.POD_DELETE).count());
    assertEquals(2, types.stream().filter(x -> x == EventType.DELETE).count());
    PodStatusTask gone = new PodStatusTask("default", "u1", null, Duration.ZERO, new Reply<>());
    h.handle(gone);
    assertEquals(
        ErrorKind.NOT_FOUND,
        assertThrows(CorralException.class, () -> gone.reply().await(T)).kind());
  }

  @Test
  void theSandboxCannotBeDeletedAsAContainerWhileItsPodIsThere() {
    createPod("u1");
    dev.corral.supervisor.task.DeleteTask t =
        new dev.corral.supervisor.task.DeleteTask(ContainerRef.of("pod-u1"), true, new Reply<>());
    h.handle(t);
    CorralException e = assertThrows(CorralException.class, () -> t.reply().await(T));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    assertTrue(e.getMessage().contains("delete the pod"), e.getMessage());
    assertEquals("ready", status("u1").sandbox().state());
  }

  @Test
  void deletingAnUnknownPodIsNotFound() {
    DeletePodTask t = new DeletePodTask("default", "nope", false, new Reply<>());
    h.handle(t);
    assertEquals(
        ErrorKind.NOT_FOUND, assertThrows(CorralException.class, () -> t.reply().await(T)).kind());
    GetContainersTask g = new GetContainersTask("default", null, Map.of(), new Reply<>());
    h.handle(g);
    assertTrue(g.reply().await(T).isEmpty());
  }
}
