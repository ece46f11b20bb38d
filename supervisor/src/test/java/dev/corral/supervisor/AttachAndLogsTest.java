package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.task.AttachTask;
import dev.corral.supervisor.task.LogEntry;
import dev.corral.supervisor.task.LogFilter;
import dev.corral.supervisor.task.LogSource;
import dev.corral.supervisor.task.LogsTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachAndLogsTest {
  private static final Duration T = Duration.ofSeconds(1);
  private static final LogFilter ALL = new LogFilter(null, -1, true, true);
  @TempDir Path tmp;
  Harness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    h.startRunning("c1", Harness.bundle(tmp.resolve("bundle")));
  }

  private Reply<LogSource> logs(String pid, boolean follow) {
    LogsTask t = new LogsTask(ContainerRef.of("c1"), pid, ALL, follow, new Reply<>());
    h.handle(t);
    return t.reply();
  }

  @Test
  void aFollowedLogReadsTheContainersFileAndEndsWithItsExit() throws Exception {
    Files.writeString(
        h.state.paths(ContainerRef.of("c1")).log(), "2026-11-23T17:10:00Z stdout F hello\n");
    LogSource s = logs("init", true).await(T);
    assertEquals(List.of("hello\n"), s.next().stream().map(LogEntry::log).toList());
    assertFalse(s.ended());
    h.exit("c1", 0);
    assertTrue(s.ended());
  }

  @Test
  void aLogNotFollowedHasEndedAlready() throws Exception {
    assertTrue(logs("init", false).await(T).ended());
  }

  @Test
  void theLogOfAnUnknownProcessIsNotFound() {
    CorralException e = assertThrows(CorralException.class, () -> logs("nope", false).await(T));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals("container c1: process nope: not found", e.getMessage());
  }

  @Test
  void attachToAStoppedContainerIsRefusedOnTheLoop() {
    h.exit("c1", 0);
    AttachTask t = new AttachTask(ContainerRef.of("c1"), "init", new Reply<>());
    h.handle(t);
    CorralException e = assertThrows(CorralException.class, () -> t.reply().await(T));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    assertEquals("container c1: process init: is stopped, not running", e.getMessage());
    assertTrue(h.jobs.isEmpty());
  }

  @Test
  void aFailedConnectComesBackThroughTheLoop() {
    AttachTask t = new AttachTask(ContainerRef.of("c1"), "init", new Reply<>());
    h.handle(t);
    assertEquals(1, h.jobs.size());
    h.jobs.poll().run(); // the fake runtime's socket path does not exist
    assertFalse(t.reply().isDone());
    h.settle();
    CorralException e = assertThrows(CorralException.class, () -> t.reply().await(T));
    assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
  }
}
