package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.supervisor.model.Cgroups;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupsTest {
  @TempDir Path root;

  @Test
  void v1AndHybridHostsKeepMemoryInItsOwnHierarchy() throws Exception {
    Files.createDirectories(root.resolve("memory"));
    Files.createDirectories(root.resolve("unified")); // hybrid: v2 beside, without controllers
    assertEquals(root.resolve("memory/corral/c1"), Cgroups.memory(root, "/corral/c1"));
  }

  @Test
  void aUnifiedHostHasOneTree() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpu io memory pids\n");
    assertEquals(root.resolve("corral/c1"), Cgroups.memory(root, "/corral/c1"));
  }
}
