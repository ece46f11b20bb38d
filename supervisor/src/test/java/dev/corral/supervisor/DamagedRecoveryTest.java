package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.runtime.ProcStat;
import dev.corral.runtime.RuncState;
import dev.corral.state.ContainerPaths;
import dev.corral.state.ContainerRecord;
import dev.corral.state.ShimRecord;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.recovery.Recovery;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.DeleteTask;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.task.WaitTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision table of recovery for damaged records (sound or corrupt × runc running, created,
 * stopped or absent), with the fake runtime standing in for runc. This test process stands in for a
 * live conmon, and a child {@code sleep} of it for the container's init (conmon is the init's
 * parent), so the shim checks run against real /proc entries. Damaged state must never make
 * recovery kill a workload runc shows alive.
 */
class DamagedRecoveryTest {
  private static final Duration T = Duration.ofSeconds(1);
  private static final int SELF = (int) ProcessHandle.current().pid();
  private static final long SELF_START = ProcStat.startTime(SELF).orElseThrow();
  private static final String CREATED = "2026-11-23T16:28:46.284849964Z";

  @TempDir Path tmp;
  private Harness h;
  private Recovery recovery;
  private Process init;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    recovery = new Recovery(h.runtime, h.state, Clock.systemUTC(), "/corral-unit-none");
    init = new ProcessBuilder("sleep", "1000").start();
  }

  @AfterEach
  void tearDown() {
    init.destroyForcibly();
  }

  private int initPid() {
    return (int) init.pid();
  }

  /** A container dir as a finished start leaves it, its config.json in the bundle copy. */
  private void container(String id, boolean terminal) throws Exception {
    h.state.create(
        new ContainerRecord(
            id, "/user/b", Map.of("k", "v"), false, terminal, List.of(), CREATED, null, null));
    Files.writeString(
        h.state.paths(ContainerRef.of(id)).bundle().resolve("config.json"),
        "{\"process\": {\"terminal\": " + terminal + "}}");
    h.state.writeShim(ContainerRef.of(id), new ShimRecord(SELF, SELF_START, initPid()));
    h.state.writeStatus(
        ContainerRef.of(id),
        new StatusRecord("running", initPid(), SELF, SELF_START, CREATED, -1, null, null));
    Files.createDirectories(h.state.runcRoot("default").resolve(id)); // what the sweep lists
  }

  private void runc(String id, String status) {
    int pid = "stopped".equals(status) ? 0 : initPid();
    h.runtime.states.put(id, new RuncState(id, status, pid, "2026-11-24T10:00:00.5Z"));
  }

  /** Corrupts a record where it lives: shim.json on the --state side, the rest under --root. */
  private void corrupt(String id, String file) throws Exception {
    ContainerPaths p = h.state.paths(ContainerRef.of(id));
    Path at = file.equals("shim.json") ? p.shim() : p.dir().resolve(file);
    Files.writeString(at, "{\"id\": \"" + id + "\", \"lab");
  }

  private List<RecoveredContainer> scanAndRecover() throws Exception {
    List<RecoveredContainer> found = recovery.scan();
    h.eventTypes();
    RecoverTask t = new RecoverTask(found, recovery.quarantined(), new Reply<>());
    h.handle(t);
    t.reply().await(T);
    return found;
  }

  private ContainerView get(String id) {
    GetContainersTask g = new GetContainersTask("default", id, Map.of(), new Reply<>());
    h.handle(g);
    return g.reply().await(T).get(0);
  }

  private void assertNothingKilled() {
    List<String> kills =
        h.runtime.calls.stream()
            .filter(c -> c.startsWith("kill ") || c.endsWith("--force"))
            .toList();
    assertEquals(List.of(), kills, "recovery killed a workload runc shows alive");
    assertTrue(init.isAlive());
  }

  private boolean quarantined(String id) throws Exception {
    Path q = h.state.root().resolve("quarantine/default");
    if (!Files.isDirectory(q)) {
      return false;
    }
    try (Stream<Path> s = Files.list(q)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith(id + "-"));
    }
  }

  @Test
  void soundRecordsRunningAreRecoveredWithoutEvent() throws Exception {
    container("ok", false);
    runc("ok", "running");
    RecoveredContainer r = scanAndRecover().get(0);
    assertTrue(r.watchable());
    assertNull(r.damage());
    assertEquals(List.of(), h.eventTypes());
    assertNothingKilled();
  }

  @Test
  void corruptStatusOfARunningContainerIsIgnoredAndReported() throws Exception {
    container("st", false);
    runc("st", "running");
    corrupt("st", "status.json");
    RecoveredContainer r = scanAndRecover().get(0);
    assertTrue(r.watchable(), "the shim is known from shim.json");
    assertEquals(List.of("recovered"), h.eventTypes());
    assertEquals("running", get("st").status());
    assertEquals(
        "running", h.state.readStatus(ContainerRef.of("st")).status(), "a fresh status is written");
    try (Stream<Path> s = Files.list(h.state.paths(ContainerRef.of("st")).dir())) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("status.json.damaged-")));
    }
    assertNothingKilled();
  }

  @Test
  void corruptMetadataOfARunningContainerIsRebuiltFromRuncAndTheBundleCopy() throws Exception {
    container("meta", true);
    runc("meta", "running");
    corrupt("meta", "container.json");
    RecoveredContainer r = scanAndRecover().get(0);
    assertTrue(r.watchable());
    assertEquals(SELF, r.created().conmonPid());
    assertTrue(r.meta().terminal(), "read back from the bundle copy");
    assertEquals("2026-11-24T10:00:00.500000000Z", r.meta().createdAt(), "runc's created time");
    assertEquals(h.state.paths(ContainerRef.of("meta")).bundle().toString(), r.meta().bundle());
    assertEquals(List.of("recovered"), h.eventTypes());
    assertEquals(
        r.meta(),
        h.state.readMetadata(ContainerRef.of("meta")),
        "the rebuilt metadata is written back");
    ContainerView v = get("meta");
    assertEquals("running", v.status());
    assertEquals(initPid(), v.pid());
    assertNothingKilled();
  }

  @Test
  void unidentifiableShimLeavesARunningContainerUnknownUntilAForcedDelete() throws Exception {
    container("unk", false);
    runc("unk", "running");
    corrupt("unk", "container.json");
    corrupt("unk", "shim.json");
    RecoveredContainer r = scanAndRecover().get(0);
    assertTrue(r.unknown());
    assertFalse(r.watchable(), "no conmon to watch");
    assertEquals(List.of("recovered"), h.eventTypes());
    ContainerView v = get("unk");
    assertEquals("unknown", v.status());
    assertEquals(initPid(), v.pid());
    assertNothingKilled();

    SignalTask sig = new SignalTask(ContainerRef.of("unk"), "init", 15, false, new Reply<>());
    h.handle(sig);
    h.settle();
    sig.reply().await(T);
    assertTrue(h.runtime.calls.contains("kill unk 15"), h.runtime.calls.toString());
    WaitTask w = new WaitTask(ContainerRef.of("unk"), new Reply<>());
    h.handle(w);
    CorralException noWait = assertThrows(CorralException.class, () -> w.reply().await(T));
    assertEquals(ErrorKind.FAILED_PRECONDITION, noWait.kind());
    DeleteTask plain = new DeleteTask(ContainerRef.of("unk"), false, new Reply<>());
    h.handle(plain);
    CorralException refused = assertThrows(CorralException.class, () -> plain.reply().await(T));
    assertTrue(refused.getMessage().contains("force=1"), refused.getMessage());
    assertTrue(Files.isDirectory(h.state.containerDir(ContainerRef.of("unk"))));

    DeleteTask forced = new DeleteTask(ContainerRef.of("unk"), true, new Reply<>());
    h.handle(forced);
    h.settle();
    forced.reply().await(T);
    assertTrue(h.runtime.calls.contains("kill unk 9 --all"), h.runtime.calls.toString());
    assertTrue(h.runtime.calls.contains("delete unk --force"), h.runtime.calls.toString());
    assertEquals(List.of("delete"), h.eventTypes());
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("unk"))));
  }

  @Test
  void unknownStaysUnknownAcrossTheNextStartAndIsNotKilled() throws Exception {
    container("again", false);
    runc("again", "running");
    corrupt("again", "shim.json");
    Files.delete(h.state.paths(ContainerRef.of("again")).status());
    assertTrue(scanAndRecover().get(0).unknown());
    Recovery next = new Recovery(h.runtime, h.state, Clock.systemUTC(), "/corral-unit-none");
    RecoveredContainer r = next.scan().get(0);
    assertTrue(r.unknown(), "status.json says unknown: not mistaken for a lost shim");
    assertNothingKilled();
  }

  @Test
  void corruptMetadataOfAStoppedContainerIsQuarantinedAndItsRuncStateDeleted() throws Exception {
    container("dead", false);
    runc("dead", "stopped");
    corrupt("dead", "container.json");
    assertTrue(scanAndRecover().isEmpty());
    assertTrue(quarantined("dead"));
    assertEquals(List.of("quarantine"), h.eventTypes());
    assertTrue(h.runtime.calls.contains("delete dead"), h.runtime.calls.toString());
    assertNothingKilled();
  }

  @Test
  void corruptMetadataUnknownToRuncIsQuarantinedAndItsRuncDirLeftAlone() throws Exception {
    container("gone", false);
    corrupt("gone", "container.json");
    assertTrue(scanAndRecover().isEmpty());
    assertTrue(quarantined("gone"));
    assertEquals(List.of("quarantine"), h.eventTypes());
    assertFalse(
        h.runtime.calls.stream().anyMatch(c -> c.startsWith("delete gone")),
        "the sweep never deletes runc state of a quarantined id: " + h.runtime.calls);
    assertNothingKilled();
  }

  @Test
  void corruptMetadataOfACreatedContainerIsAnInterruptedStartAndRemoved() throws Exception {
    container("half", false);
    runc("half", "created");
    corrupt("half", "container.json");
    assertTrue(scanAndRecover().isEmpty());
    assertFalse(quarantined("half"));
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("half"))));
    assertEquals(List.of(), h.eventTypes());
  }

  @Test
  void createInterruptedBeforeMetadataIsRemovedNotQuarantined() throws Exception {
    Path dir = h.state.containerDir(ContainerRef.of("early"));
    for (String d : List.of("bundle", "persist", "exits")) {
      Files.createDirectories(dir.resolve(d));
    }
    assertTrue(scanAndRecover().isEmpty());
    assertFalse(Files.exists(dir));
    assertFalse(quarantined("early"));
    assertEquals(List.of(), h.eventTypes());
  }

  @Test
  void missingShimRecordOfAContainerRuncShowsRunningIsKept() throws Exception {
    container("noshim", false);
    runc("noshim", "running");
    Files.delete(h.state.paths(ContainerRef.of("noshim")).shim());
    Files.writeString(
        h.state.paths(ContainerRef.of("noshim")).conmonPidFile(), Integer.toString(SELF));
    RecoveredContainer r = scanAndRecover().get(0);
    assertTrue(r.watchable(), "conmon.pid names the init's parent");
    assertNotNull(r.damage());
    assertEquals(
        SELF,
        h.state.readShim(ContainerRef.of("noshim")).orElseThrow().conmonPid(),
        "written back");
    assertNothingKilled();
  }
}
