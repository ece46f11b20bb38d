package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A create naming the daemon's own root, directly or through a symlink, as rootfs, bundle or
 * checkpoint is 400 naming the field and writes nothing: no container dir, no runc state, and not
 * one file added to or removed from the root's tree (runc used to leave dev/ proc/ sys/ there).
 */
class ForbiddenPathsIT {
  @TempDir static Path dir;
  static Corrald daemon;
  static Api api;
  static Path good;

  @BeforeAll
  static void start() throws Exception {
    daemon = Corrald.start(dir);
    api = daemon.api();
    good = Fixtures.bundle(dir.resolve("good"), "sleep", "1000");
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("other", good)).status());
    // Its status is written behind the reply: the trees compared must not change under a walk.
    Path status = Fixtures.containerDir(daemon, "other").resolve("status.json");
    for (int i = 0; i < 400 && !Files.exists(status); i++) {
      Thread.sleep(25);
    }
    assertTrue(Files.exists(status), "no status written for other");
  }

  @AfterAll
  static void stop() throws Exception {
    assertEquals(204, api.delete("/v1/containers/other?force=1").status());
    api.close();
    daemon.stop();
    Fixtures.cleanUp(daemon);
  }

  private static Set<String> tree(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString()).collect(TreeSet::new, Set::add, Set::addAll);
    }
  }

  private static String rootfsBody(String id, Path rootfs) {
    JsonObject process = new JsonObject();
    com.google.gson.JsonArray args = new com.google.gson.JsonArray();
    args.add("true");
    process.add("args", args);
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("rootfs", rootfs.toString());
    o.add("process", process);
    return o.toString();
  }

  /** Answers 400 naming {@code field}, and the root's tree is what it was. */
  private static void refused(String field, String body) throws Exception {
    Set<String> before = tree(daemon.root);
    Api.Reply r = api.post("/v1/containers", body);
    assertEquals(400, r.status(), r.body());
    assertEquals("invalid_argument", r.code());
    assertTrue(r.message().startsWith(field + ": "), r.message());
    assertTrue(r.message().contains("inside the daemon's own directory"), r.message());
    assertEquals(before, tree(daemon.root), "the root changed");
    assertEquals(List.of("other"), Fixtures.runcIds(daemon.root));
    assertEquals(404, api.get("/v1/containers/bad").status());
  }

  @Test
  void theRootItselfIsNoRootfs() throws Exception {
    refused("rootfs", rootfsBody("bad", daemon.root));
  }

  @Test
  void theStateDirAndAnythingInItAreNoRootfs() throws Exception {
    Set<String> before = tree(daemon.state);
    refused("rootfs", rootfsBody("bad", daemon.state));
    Path other = Fixtures.runDir(daemon, "other");
    assertTrue(Files.isDirectory(other), "layout changed: " + tree(daemon.state));
    refused("rootfs", rootfsBody("bad", other));
    assertEquals(before, tree(daemon.state), "the state dir changed");
  }

  @Test
  void anotherContainersStateDirIsNoRootfs() throws Exception {
    Path other = Fixtures.containerDir(daemon, "other");
    assertTrue(Files.isDirectory(other), "layout changed: " + tree(daemon.root));
    refused("rootfs", rootfsBody("bad", other));
    refused(
        "rootfs",
        rootfsBody("bad", dir.resolve("good/../root/namespaces/default/containers/other")));
  }

  @Test
  void aBundleSymlinkedIntoTheRootIsRefused() throws Exception {
    Path link = dir.resolve("innocent-bundle");
    Files.createSymbolicLink(link, Fixtures.containerDir(daemon, "other"));
    refused("bundle", Fixtures.createBody("bad", link));
    Path parentLink = Files.createSymbolicLink(dir.resolve("innocent-dir"), daemon.root);
    refused(
        "bundle",
        Fixtures.createBody(
            "bad", parentLink.resolve("namespaces/default/containers/other/bundle")));
  }

  @Test
  void aBundleWhoseRootPathLiesInTheRootIsRefused() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("sneaky"), "true");
    Path cfg = b.resolve("config.json");
    JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(cfg)).getAsJsonObject();
    o.getAsJsonObject("root").addProperty("path", daemon.root.toString());
    Files.writeString(cfg, o.toString());
    refused("bundle: root.path", Fixtures.createBody("bad", b));
  }

  @Test
  void aCheckpointInsideTheRootIsRefused() throws Exception {
    JsonObject o =
        com.google.gson.JsonParser.parseString(Fixtures.createBody("bad", good)).getAsJsonObject();
    o.addProperty("checkpoint", Fixtures.containerDir(daemon, "other").toString());
    refused("checkpoint", o.toString());
  }
}
