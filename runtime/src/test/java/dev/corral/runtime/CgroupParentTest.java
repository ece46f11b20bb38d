package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.corral.core.CorralException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupParentTest {
  @TempDir Path tmp;

  @Test
  void containerCgroupGoesUnderTheChosenParent() throws Exception {
    Path user = Files.createDirectories(tmp.resolve("b/rootfs")).getParent();
    Files.writeString(
        user.resolve("config.json"), "{\"process\":{},\"root\":{\"path\":\"rootfs\"}}");
    Path target = Files.createDirectories(tmp.resolve("t"));
    Bundles.prepare("bundle", user, target, "c1", "/tenant-a/corral");
    String path =
        JsonParser.parseString(Files.readString(target.resolve("config.json")))
            .getAsJsonObject()
            .getAsJsonObject("linux")
            .get("cgroupsPath")
            .getAsString();
    assertEquals("/tenant-a/corral/c1", path);
  }

  @Test
  void parentsThatCouldEscapeOrAreNotAbsoluteAreRefused() {
    for (String bad : new String[] {"corral", "/", "/..", "/a/../b", "/a//b", "/a/", "", "/a b"}) {
      CorralException e =
          assertThrows(CorralException.class, () -> Bundles.requireCgroupParent(bad), bad);
      assertTrue(e.getMessage().startsWith("cgroup parent: "), e.getMessage());
    }
    assertEquals("/corral", Bundles.requireCgroupParent("/corral"));
  }
}
