package dev.corral.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupStatsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T17:00:00.123456789Z");
  @TempDir Path root;

  private void write(String rel, String text) throws IOException {
    Path f = root.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  @Test
  void cgroupV1CountersComeFromEachControllersHierarchy() throws IOException {
    write("cpuacct/corral/c1/cpuacct.usage", "123456789\n");
    write("cpuacct/corral/c1/cpuacct.stat", "user 7\nsystem 3\n");
    write("memory/corral/c1/memory.usage_in_bytes", "1048576\n");
    write("memory/corral/c1/memory.limit_in_bytes", "67108864\n");
    write("memory/corral/c1/memory.failcnt", "2\n");
    write("memory/corral/c1/memory.max_usage_in_bytes", "2097152\n");
    write("memory/corral/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 5\n");
    write("pids/corral/c1/pids.current", "3\n");
    write("pids/corral/c1/pids.max", "max\n");
    write(
        "blkio/corral/c1/blkio.throttle.io_service_bytes",
        "8:0 Read 4096\n8:0 Write 512\n8:0 Sync 0\n8:0 Total 4608\n"
            + "8:16 Read 100\n8:16 Write 0\nTotal 4708\n");
    CgroupStats stats = new CgroupStats(root);
    assertFalse(stats.unified());
    ContainerStats s = stats.read("c1", "/corral/c1", NOW);
    assertEquals("2026-11-23T17:00:00.123456789Z", s.read());
    assertEquals(new ContainerStats.Cpu(123456789L, 70_000_000L, 30_000_000L), s.cpu());
    assertEquals(new ContainerStats.Memory(1048576L, 67108864L, 2L, 2097152L, 5L), s.memory());
    assertEquals(new ContainerStats.Pids(3L, null), s.pids());
    assertEquals(new ContainerStats.Blkio(4196L, 512L), s.blkio());
  }

  @Test
  void anUnlimitedV1MemoryLimitIsNull() throws IOException {
    write("memory/corral/c1/memory.usage_in_bytes", "1\n");
    write("memory/corral/c1/memory.limit_in_bytes", "9223372036854771712\n");
    ContainerStats s = new CgroupStats(root).read("c1", "/corral/c1", NOW);
    assertEquals(null, s.memory().limit());
    assertEquals(null, s.memory().oomKills()); // no memory.oom_control
    assertEquals(new ContainerStats.Blkio(null, null), s.blkio());
  }

  @Test
  void aV1KernelWithoutAnOomKillCountGivesNoOomKills() throws IOException {
    write("memory/corral/c1/memory.usage_in_bytes", "1\n");
    write("memory/corral/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
    assertEquals(null, new CgroupStats(root).read("c1", "/corral/c1", NOW).memory().oomKills());
  }

  @Test
  void cgroupV2CountersComeFromTheUnifiedTree() throws IOException {
    write("cgroup.controllers", "cpu io memory pids\n");
    write("corral/c1/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
    write("corral/c1/memory.current", "4096\n");
    write("corral/c1/memory.max", "max\n");
    write("corral/c1/memory.events", "low 0\nhigh 0\nmax 4\noom 2\noom_kill 1\n");
    write("corral/c1/pids.current", "2\n");
    write("corral/c1/pids.max", "50\n");
    write(
        "corral/c1/io.stat",
        "8:0 rbytes=1000 wbytes=24 rios=1 wios=1 dbytes=0 dios=0\n"
            + "8:16 rbytes=5 wbytes=6 rios=1 wios=1 dbytes=0 dios=0\n");
    CgroupStats stats = new CgroupStats(root);
    assertTrue(stats.unified());
    ContainerStats s = stats.read("c1", "/corral/c1", NOW);
    assertEquals(new ContainerStats.Cpu(1_500_000L, 1_000_000L, 500_000L), s.cpu());
    assertEquals(new ContainerStats.Memory(4096L, null, 4L, null, 1L), s.memory());
    assertEquals(new ContainerStats.Pids(2L, 50L), s.pids());
    assertEquals(new ContainerStats.Blkio(1005L, 30L), s.blkio());
  }

  @Test
  void aMissingCgroupIsNotFound() {
    CorralException e =
        assertThrows(
            CorralException.class, () -> new CgroupStats(root).read("c1", "/corral/c1", NOW));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals("container c1: cgroup /corral/c1: not found", e.getMessage());
  }

  @Test
  void theOomKillCountAloneIsReadFromOneFileOnEitherVersion() throws IOException {
    write("memory/corral/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 5\n");
    CgroupStats v1 = new CgroupStats(root);
    assertEquals(5L, v1.oomKills("/corral/c1"));
    assertEquals(null, v1.oomKills("/corral/gone"));

    Path v2root = root.resolve("v2");
    Files.createDirectories(v2root);
    Files.writeString(v2root.resolve("cgroup.controllers"), "cpu memory pids\n");
    Files.createDirectories(v2root.resolve("corral/c2"));
    Files.writeString(v2root.resolve("corral/c2/memory.events"), "max 0\noom 1\noom_kill 2\n");
    CgroupStats v2 = new CgroupStats(v2root);
    assertTrue(v2.unified());
    assertEquals(2L, v2.oomKills("/corral/c2"));
    assertEquals(null, v2.oomKills("/corral/gone"));
  }
}
