package dev.corral.daemon;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  /** Ids runc still knows under the runc root of the daemon on {@code root} (in its state dir). */
  static List<String> runcIds(Path root) throws Exception {
    String out = run("runc", "--root", runcRoot(root).toString(), "list", "-q");
    return out.isBlank() ? List.of() : List.of(out.trim().split("\\s+"));
  }

  static Path runcRoot(Path root) {
    return Corrald.stateOf(root).resolve("runc");
  }

  /** Force-deletes whatever runc still holds under {@code root}: a test never leaks containers. */
  static void cleanRunc(Path root) throws Exception {
    for (String id : runcIds(root)) {
      run("runc", "--root", runcRoot(root).toString(), "delete", "--force", id);
    }
  }

  /**
   * Force-deletes what runc still holds for daemon {@code d}, then removes its cgroup parent from
   * every hierarchy (runc delete leaves the parent behind).
   */
  static void cleanUp(Corrald d) throws Exception {
    cleanRunc(d.root);
    try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.toList()) {
        Path parent = h.resolve(d.cgroupParent.substring(1));
        if (Files.isDirectory(parent)) {
          Files.delete(parent); // rmdir: fails loudly if a container's cgroup is still inside
        }
      }
    }
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
