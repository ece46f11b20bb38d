package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: busybox bundles made by scripts/make-bundle, run by conmon and runc as root. Each
 * test has its own runc root and socket dir under a short /tmp/crl-XXXXXX (unix socket paths are
 * limited to 107 bytes) and its own container ids.
 */
class RuncRuntimeIT {
  private static final Path RUNC = Path.of("/usr/sbin/runc");
  private static final Path CONMON = Path.of("/usr/bin/conmon");
  private static final Path MAKE_BUNDLE =
      Path.of(System.getProperty("user.dir")).resolve("../scripts/make-bundle").normalize();

  @TempDir Path tmp;
  Path base;
  Path runcRoot;
  RuncRuntime runtime;
  final List<String> ids = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    base = Files.createDirectory(Path.of("/tmp/crl-" + HexFormat.of().formatHex(random)));
    runcRoot = base.resolve("r");
    runtime = new RuncRuntime(RUNC, CONMON, ns -> runcRoot, base.resolve("s"));
  }

  @AfterEach
  void tearDown() throws IOException {
    for (String id : ids) {
      runtime.delete(ContainerRef.of(id), true);
    }
    try (Stream<Path> files = Files.walk(base)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A new id, cleaned up after the test. */
  private String newId() {
    String id = "it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    ids.add(id);
    return id;
  }

  /** make-bundle, then the daemon's copy of it; returns the spec for that copy. */
  private CreateSpec prepare(String id, String... cmd) throws Exception {
    Path user = tmp.resolve("user-" + id);
    List<String> argv = new ArrayList<>(List.of(MAKE_BUNDLE.toString(), user.toString(), "--"));
    argv.addAll(List.of(cmd));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    Path state = tmp.resolve("state-" + id);
    Path bundle = Bundles.prepare("bundle", user, state.resolve("bundle"), id);
    return new CreateSpec(
        ContainerRef.of(id),
        bundle,
        state.resolve("persist"),
        state.resolve("exits"),
        state.resolve("ctr.log"),
        state.resolve("init.pid"),
        state.resolve("conmon.pid"),
        false,
        false,
        List.of());
  }

  private static String awaitExitFile(Path file) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return Files.readString(file);
  }

  @Test
  void exitCodeOfTheInitReachesTheExitFiles() throws Exception {
    String id = newId();
    CreateSpec spec = prepare(id, "sh", "-c", "exit 3");
    Created c = runtime.create(spec);
    assertTrue(c.initPid() > 0 && ProcStat.alive(c.conmonPid(), c.conmonStartTime()));
    assertEquals("created", runtime.state(ContainerRef.of(id)).orElseThrow().status());
    assertEquals(c.initPid(), runtime.state(ContainerRef.of(id)).orElseThrow().pid());
    runtime.start(ContainerRef.of(id), c);
    assertEquals("3", awaitExitFile(spec.persistDir().resolve("exit")));
    assertEquals("3", awaitExitFile(spec.exitDir().resolve(id)));
    runtime.delete(ContainerRef.of(id), false);
    assertEquals(Optional.empty(), runtime.state(ContainerRef.of(id)));
    assertFalse(Files.exists(base.resolve("s").resolve(id), NOFOLLOW));
  }

  private static final java.nio.file.LinkOption NOFOLLOW = java.nio.file.LinkOption.NOFOLLOW_LINKS;

  @Test
  void sigkillGivesExitCode137() throws Exception {
    String id = newId();
    CreateSpec spec = prepare(id, "sleep", "100");
    Created c = runtime.create(spec);
    runtime.start(ContainerRef.of(id), c);
    assertEquals("running", runtime.state(ContainerRef.of(id)).orElseThrow().status());
    runtime.kill(ContainerRef.of(id), 9, false);
    assertEquals("137", awaitExitFile(spec.persistDir().resolve("exit")));
    runtime.delete(ContainerRef.of(id), false);
  }

  /** Started through runc's exec FIFO, as runc start does: runc then sees it running. */
  @Test
  void startReleasesTheInitThroughTheExecFifoAndRuncSeesItRunning() throws Exception {
    String id = newId();
    CreateSpec spec = prepare(id, "sh", "-c", "echo started; sleep 100");
    Created c = runtime.create(spec);
    Path fifo = runcRoot.resolve(id).resolve(ExecFifo.NAME);
    assertTrue(Files.exists(fifo), "runc create leaves the FIFO that runc start reads");
    runtime.start(ContainerRef.of(id), c);
    assertFalse(Files.exists(fifo));
    RuncState st = runtime.state(ContainerRef.of(id)).orElseThrow();
    assertEquals("running", st.status());
    assertEquals(c.initPid(), st.pid());
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.readString(spec.logFile()).contains("started") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(Files.readString(spec.logFile()).contains("started"));
    CorralException again =
        assertThrows(CorralException.class, () -> runtime.start(ContainerRef.of(id), c));
    assertEquals(
        "container " + id + ": runc start: cannot start an already running container",
        again.getMessage());
    runtime.kill(ContainerRef.of(id), 9, false);
    assertEquals("137", awaitExitFile(spec.persistDir().resolve("exit")));
    runtime.delete(ContainerRef.of(id), false);
  }

  /** An init killed before its start: runc start's own check and message. */
  @Test
  void startOfAnInitThatDiedIsRuncsError() throws Exception {
    String id = newId();
    CreateSpec spec = prepare(id, "sleep", "100");
    Created c = runtime.create(spec);
    assertTrue(dev.corral.runtime.sys.Pidfd.kill(c.initPid(), 9));
    awaitExitFile(spec.persistDir().resolve("exit"));
    CorralException e =
        assertThrows(CorralException.class, () -> runtime.start(ContainerRef.of(id), c));
    assertEquals(
        "container " + id + ": runc start: cannot start a container that has stopped",
        e.getMessage());
    runtime.delete(ContainerRef.of(id), true);
  }

  @Test
  void missingExecutableFailsCreateWithRuncsMessageAndLeavesNothing() throws Exception {
    String id = newId();
    CreateSpec spec = prepare(id, "nosuch");
    CorralException e = assertThrows(CorralException.class, () -> runtime.create(spec));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e.getMessage());
    assertEquals(
        "container "
            + id
            + ": runc create failed: unable to start container process: "
            + "exec: \"nosuch\": executable file not found in $PATH",
        e.getMessage());
    assertEquals("", runcList());
    assertEquals(List.of(), processesMentioning(base.toString()));
    assertFalse(Files.exists(base.resolve("s").resolve(id), NOFOLLOW));
  }

  @Test
  void duplicateIdIsAlreadyExistsAndTheFirstContainerSurvives() throws Exception {
    String id = newId();
    runtime.create(prepare(id, "sleep", "100"));
    CreateSpec again = prepare(id, "sleep", "100");
    CorralException e = assertThrows(CorralException.class, () -> runtime.create(again));
    assertEquals(ErrorKind.ALREADY_EXISTS, e.kind(), e.getMessage());
    assertEquals(
        "container " + id + ": runc create failed: container with given ID already exists",
        e.getMessage());
    assertEquals("created", runtime.state(ContainerRef.of(id)).orElseThrow().status());
  }

  @Test
  void conmonInheritsNoJvmFd() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Set<String> jvmSockets =
          fdLinks("self").stream().filter(l -> l.startsWith("socket:")).collect(Collectors.toSet());
      assertFalse(jvmSockets.isEmpty());
      String id = newId();
      Created c = runtime.create(prepare(id, "sleep", "100"));
      List<String> conmonFds = fdLinks(Integer.toString(c.conmonPid()));
      assertFalse(conmonFds.isEmpty());
      for (String link : conmonFds) {
        assertFalse(link.endsWith(".jar") || jvmSockets.contains(link), conmonFds.toString());
      }
    }
  }

  @Test
  void versionsNameRuncAndConmon() {
    assertTrue(runtime.runtimeVersion().startsWith("runc version "), runtime.runtimeVersion());
    assertTrue(runtime.shimVersion().startsWith("conmon version "), runtime.shimVersion());
  }

  private String runcList() throws Exception {
    Process p =
        new ProcessBuilder(RUNC.toString(), "--root", runcRoot.toString(), "list", "-q")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  private static List<String> fdLinks(String pid) throws IOException {
    List<String> links = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", pid, "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          links.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // the fd closed while we listed (e.g. the directory stream's own)
        }
      }
    }
    return links;
  }

  /** Pids whose command line contains {@code text}. */
  private static List<String> processesMentioning(String text) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline =
              new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.contains(text)) {
            found.add(proc.getFileName() + ": " + cmdline.replace('\0', ' '));
          }
        } catch (IOException e) {
          // the process exited while we looked
        }
      }
    }
    return found;
  }
}
