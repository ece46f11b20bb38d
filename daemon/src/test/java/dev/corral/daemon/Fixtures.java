package dev.corral.daemon;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Bundles made by scripts/make-bundle, and the clean-up of what a test left in runc. */
final class Fixtures {
  private Fixtures() {}

  static Path scripts() {
    return Path.of(System.getProperty("user.dir")).resolve("../scripts").normalize();
  }

  /** A busybox bundle at {@code dir} running {@code args}. */
  static Path bundle(Path dir, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(scripts().resolve("make-bundle").toString(), dir.toString(), "--"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("make-bundle failed: " + out);
    }
    return dir;
  }

  /** Rewrites the bundle's config.json so the container shares the host's pid namespace. */
  static void withoutPidNamespace(Path bundle) throws IOException {
    Path cfg = bundle.resolve("config.json");
    JsonObject o = JsonParser.parseString(Files.readString(cfg)).getAsJsonObject();
    JsonArray kept = new JsonArray();
    for (JsonElement ns : o.getAsJsonObject("linux").getAsJsonArray("namespaces")) {
      if (!ns.getAsJsonObject().get("type").getAsString().equals("pid")) {
        kept.add(ns);
      }
    }
    o.getAsJsonObject("linux").add("namespaces", kept);
    Files.writeString(cfg, o.toString());
  }

  /** Sets linux.resources.memory limit (and swap, so it cannot swap instead) in the bundle. */
  static void withMemoryLimit(Path bundle, long bytes) throws IOException {
    Path cfg = bundle.resolve("config.json");
    JsonObject o = JsonParser.parseString(Files.readString(cfg)).getAsJsonObject();
    JsonObject linux = o.getAsJsonObject("linux");
    if (!linux.has("resources")) {
      linux.add("resources", new JsonObject());
    }
    JsonObject memory = new JsonObject();
    memory.addProperty("limit", bytes);
    memory.addProperty("swap", bytes);
    linux.getAsJsonObject("resources").add("memory", memory);
    Files.writeString(cfg, o.toString());
  }

  static String createBody(String id, Path bundle) {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("bundle", bundle.toString());
    return o.toString();
  }

  /** Output of a command, which must succeed. */
  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /**
   * A container's persistent dir in the default namespace: ROOT/namespaces/default/containers/ID.
   */
  static Path containerDir(Corrald d, String id) {
    return containerDir(d, "default", id);
  }

  /** A container's persistent dir: ROOT/namespaces/NS/containers/ID. */
  static Path containerDir(Corrald d, String ns, String id) {
    return containersDir(d.root, ns).resolve(id);
  }

  /** Where the containers of {@code ns} are, under a root or a state dir ({@code base}). */
  static Path containersDir(Path base, String ns) {
    return base.resolve("namespaces").resolve(ns).resolve("containers");
  }

  /**
   * Every container dir under a root or a state dir ({@code base}), in every namespace, as {@code
   * NS/ID}, sorted; empty when there is no namespace yet.
   */
  static List<String> containerDirs(Path base) throws IOException {
    Path namespaces = base.resolve("namespaces");
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(namespaces)) {
      return out;
    }
    try (var nss = Files.list(namespaces)) {
      for (Path ns : nss.sorted().toList()) {
        Path containers = ns.resolve("containers");
        if (Files.isDirectory(containers)) {
          try (var ids = Files.list(containers)) {
            ids.sorted().forEach(id -> out.add(ns.getFileName() + "/" + id.getFileName()));
          }
        }
      }
    }
    return out;
  }

  /** A container's runtime dir in the default namespace: STATE/namespaces/default/containers/ID. */
  static Path runDir(Corrald d, String id) {
    return runDir(d, "default", id);
  }

  /** A container's runtime dir: STATE/namespaces/NS/containers/ID. */
  static Path runDir(Corrald d, String ns, String id) {
    return containersDir(d.state, ns).resolve(id);
  }

  /** The absolute cgroupsPath of a container created in namespace {@code ns}: PARENT/NS/ID. */
  static String cgroupPath(Corrald d, String ns, String id) {
    return d.cgroupParent + "/" + ns + "/" + id;
  }

  /**
   * The directory of a cgroup path (as runc's cgroupsPath) in {@code controller}'s hierarchy on
   * cgroup v1, or in the unified hierarchy on a v2 host.
   */
  static Path cgroupDir(String controller, String cgroupsPath) {
    Path root = Path.of("/sys/fs/cgroup");
    return Files.exists(root.resolve("cgroup.controllers"))
        ? root.resolve(cgroupsPath.substring(1))
        : root.resolve(controller).resolve(cgroupsPath.substring(1));
  }

  /** Ids runc still knows under the default namespace's runc root of the daemon on {@code root}. */
  static List<String> runcIds(Path root) throws Exception {
    return runcIdsAt(runcRoot(root));
  }

  /** Ids runc knows under the runc root {@code runcRoot}. */
  static List<String> runcIdsAt(Path runcRoot) throws Exception {
    String out = run("runc", "--root", runcRoot.toString(), "list", "-q");
    return out.isBlank() ? List.of() : List.of(out.trim().split("\\s+"));
  }

  /** runc's root for the default namespace of the daemon on {@code root} (in its state dir). */
  static Path runcRoot(Path root) {
    return runcRoot(root, "default");
  }

  /** runc's root for namespace {@code ns}: STATE/namespaces/NS/runc. */
  static Path runcRoot(Path root, String ns) {
    return Corrald.stateOf(root).resolve("namespaces").resolve(ns).resolve("runc");
  }

  /**
   * Every runc root a daemon on {@code root} may have used: each namespace's, and the real
   * directories of older layouts (STATE/runc of layout 2, ROOT/runc of layout 1) when they are not
   * the links a migration leaves.
   */
  static List<Path> runcRoots(Path root) throws IOException {
    Path state = Corrald.stateOf(root);
    List<Path> roots = new ArrayList<>();
    Path namespaces = state.resolve("namespaces");
    if (Files.isDirectory(namespaces)) {
      try (var s = Files.list(namespaces)) {
        s.map(ns -> ns.resolve("runc")).filter(Files::isDirectory).sorted().forEach(roots::add);
      }
    }
    for (Path old : List.of(state.resolve("runc"), root.resolve("runc"))) {
      if (Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) {
        roots.add(old);
      }
    }
    return roots;
  }

  /** Force-deletes whatever runc still holds under {@code root}: a test never leaks containers. */
  static void cleanRunc(Path root) throws Exception {
    for (Path runcRoot : runcRoots(root)) {
      for (String id : runcIdsAt(runcRoot)) {
        run("runc", "--root", runcRoot.toString(), "delete", "--force", id);
      }
    }
  }

  /**
   * Force-deletes what runc still holds for daemon {@code d}, then removes its cgroup parent from
   * every hierarchy, with the namespaces' cgroups in it (runc delete leaves those behind).
   */
  static void cleanUp(Corrald d) throws Exception {
    cleanUp(d.root, d.cgroupParent);
  }

  /** As {@link #cleanUp(Corrald)}, for the daemons on {@code root} with {@code cgroupParent}. */
  static void cleanUp(Path root, String cgroupParent) throws Exception {
    cleanRunc(root);
    try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.toList()) {
        removeCgroupParent(h.resolve(cgroupParent.substring(1)));
      }
    }
    removeCgroupParent(Path.of("/sys/fs/cgroup").resolve(cgroupParent.substring(1)));
  }

  /** rmdir of {@code parent}'s child cgroups, then of it; fails loudly if a container is left. */
  private static void removeCgroupParent(Path parent) throws IOException {
    if (!Files.isDirectory(parent)) {
      return;
    }
    List<Path> children;
    try (var s = Files.list(parent)) {
      children = s.filter(Files::isDirectory).toList();
    }
    for (Path ns : children) {
      Files.delete(ns); // rmdir: fails if a container's cgroup is still inside
    }
    Files.delete(parent);
  }

  /** Whether any process has {@code needle} in its command line (conmon names the container). */
  static boolean processWithArg(String needle) throws IOException {
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline =
              new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8);
          if (List.of(cmdline.split("\0")).contains(needle)) {
            return true;
          }
        } catch (IOException gone) {
          // raced with its exit
        }
      }
    }
    return false;
  }

  /**
   * Waits until {@code pid} is gone or a zombie (an exec whose conmon died is reparented to the
   * container's init, which, as {@code sleep}, never reaps it); false if it still runs after 10 s.
   */
  static boolean deadOrZombie(int pid) throws Exception {
    Path stat = Path.of("/proc/" + pid + "/stat");
    for (int i = 0; i < 200; i++) {
      try {
        String s = Files.readString(stat);
        if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
          return true;
        }
      } catch (java.io.IOException gone) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
