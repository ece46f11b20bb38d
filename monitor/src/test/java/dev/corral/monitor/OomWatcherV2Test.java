package dev.corral.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.corral.core.ContainerRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OOM watch over a fake cgroup v2 tree (this machine runs v1): inotify on memory.events in the
 * monitor's epoll set. Also the ordering promise: oom before the exit it caused.
 */
class OomWatcherV2Test {
  @TempDir Path dir;
  private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
  private ExitMonitor monitor;
  private Process shim;
  private Path cgroup;
  private Path persist;

  @BeforeEach
  void start() throws Exception {
    monitor =
        ExitMonitor.start(
            (w, code, at) -> reports.add("exit " + w.containerId()),
            id -> reports.add("oom " + id));
    cgroup = Files.createDirectories(dir.resolve("sys/fs/cgroup/corral/c1"));
    persist = Files.createDirectories(dir.resolve("persist"));
    Files.writeString(cgroup.resolve("memory.events"), events(0));
  }

  @AfterEach
  void stop() {
    monitor.close();
    if (shim != null) {
      shim.destroyForcibly();
    }
  }

  @Test
  void aRisingOomKillInMemoryEventsIsReportedOnce() throws Exception {
    monitor.watchOom(new OomWatch(ContainerRef.of("c1"), cgroup, persist));
    Files.writeString(cgroup.resolve("memory.events"), events(1));
    assertEquals("oom c1", reports.poll(30, TimeUnit.SECONDS));
    Files.writeString(cgroup.resolve("memory.events"), events(2));
    assertNull(reports.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void otherCountersMovingIsNotAKill() throws Exception {
    monitor.watchOom(new OomWatch(ContainerRef.of("c1"), cgroup, persist));
    Files.writeString(cgroup.resolve("memory.events"), "low 0\nhigh 7\nmax 3\noom 0\noom_kill 0\n");
    assertNull(reports.poll(300, TimeUnit.MILLISECONDS));
    assertEquals(1, monitor.registrationCount());
    monitor.unwatchOom(ContainerRef.of("c1"));
    assertEquals(0, monitor.registrationCount());
  }

  @Test
  void anOomSeenOnlyAtExitIsReportedBeforeTheExit() throws Exception {
    monitor.watchOom(new OomWatch(ContainerRef.of("c1"), cgroup, persist));
    shim = new ProcessBuilder("sleep", "60").start();
    monitor.watch(
        new Watch(ContainerRef.of("c1"), "init", (int) shim.pid(), persist.resolve("exit")));
    Files.createFile(persist.resolve("oom")); // conmon's mark; no inotify event for it
    shim.destroy();
    assertEquals("oom c1", reports.poll(30, TimeUnit.SECONDS));
    assertEquals("exit c1", reports.poll(30, TimeUnit.SECONDS));
  }

  private static String events(long oomKills) {
    return "low 0\nhigh 0\nmax 5\noom " + oomKills + "\noom_kill " + oomKills + "\n";
  }
}
