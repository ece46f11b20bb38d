package dev.corral.runtime;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the OCI spec (config.json) of a container made from a bare root filesystem: the same
 * defaults as {@code runc spec} 1.1 (mounts, namespaces, the three capabilities, masked and
 * read-only paths, the nofile rlimit, a read-only root, all devices denied), with the process and
 * the resource limits from the request and the cgroup at {@code PARENT/ID}.
 *
 * <p>Stateless; usable from any thread (two threads must not write the same target dir).
 */
public final class Specs {
  static final String DEFAULT_PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final List<String> CAPABILITIES =
      List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
  private static final List<String> NAMESPACES = List.of("pid", "network", "ipc", "uts", "mount");
  private static final List<String> MASKED =
      List.of(
          "/proc/acpi",
          "/proc/asound",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/sys/firmware",
          "/proc/scsi");
  private static final List<String> READONLY =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private Specs() {}

  /**
   * Checks {@code rootfs} and writes {@code targetDir/config.json} for it.
   *
   * @param rootfsField the request field the rootfs came from, named in every error message
   * @return {@code targetDir}, the bundle dir to hand runc
   * @throws CorralException invalid_argument when rootfs is not an absolute existing directory
   */
  public static Path write(
      String rootfsField,
      Path rootfs,
      ProcessSpec process,
      Resources resources,
      Path targetDir,
      String id,
      String cgroupParent) {
    return write(rootfsField, rootfs, process, resources, targetDir, id, cgroupParent, null);
  }

  /**
   * As {@link #write(String, Path, ProcessSpec, Resources, Path, String, String)}, with {@code
   * process.terminal} set to {@code terminal} unless it is null (see {@link Bundles#prepare}).
   */
  public static Path write(
      String rootfsField,
      Path rootfs,
      ProcessSpec process,
      Resources resources,
      Path targetDir,
      String id,
      String cgroupParent,
      Boolean terminal) {
    Ids.require("id", id);
    Bundles.requireCgroupParent(cgroupParent);
    requireRootfs(rootfsField, rootfs);
    JsonObject spec = generate(rootfs, process, resources, cgroupParent + "/" + id);
    if (terminal != null) {
      spec.getAsJsonObject("process").addProperty("terminal", terminal);
    }
    Bundles.writeAtomically(targetDir, "config.json", GSON.toJson(spec) + "\n");
    return targetDir;
  }

  static void requireRootfs(String field, Path rootfs) {
    if (rootfs == null || rootfs.toString().isEmpty()) {
      throw CorralException.invalidArgument("%s: must not be empty", field);
    }
    if (!rootfs.isAbsolute()) {
      throw CorralException.invalidArgument("%s: %s is not an absolute path", field, rootfs);
    }
    if (!Files.exists(rootfs)) {
      throw CorralException.invalidArgument("%s: %s does not exist", field, rootfs);
    }
    if (!Files.isDirectory(rootfs)) {
      throw CorralException.invalidArgument("%s: %s is not a directory", field, rootfs);
    }
  }

  /** The whole spec as JSON; the structure of {@code runc spec}'s output. */
  public static JsonObject generate(
      Path rootfs, ProcessSpec process, Resources resources, String cgroupsPath) {
    JsonObject spec = new JsonObject();
    spec.addProperty("ociVersion", "1.0.2-dev");
    spec.add("process", process(process));
    JsonObject root = new JsonObject();
    root.addProperty("path", rootfs.toString());
    root.addProperty("readonly", true);
    spec.add("root", root);
    spec.addProperty("hostname", "corral");
    spec.add("mounts", DefaultMounts.all());
    spec.add("linux", linux(resources, cgroupsPath));
    return spec;
  }

  private static JsonObject process(ProcessSpec p) {
    JsonObject o = new JsonObject();
    o.addProperty("terminal", p.terminal());
    JsonObject user = new JsonObject();
    user.addProperty("uid", p.uid());
    user.addProperty("gid", p.gid());
    o.add("user", user);
    o.add("args", strings(p.args()));
    o.add("env", strings(env(p)));
    o.addProperty("cwd", p.cwd());
    JsonObject caps = new JsonObject();
    for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
      caps.add(set, strings(CAPABILITIES));
    }
    o.add("capabilities", caps);
    JsonObject nofile = new JsonObject();
    nofile.addProperty("type", "RLIMIT_NOFILE");
    nofile.addProperty("hard", 1024);
    nofile.addProperty("soft", 1024);
    JsonArray rlimits = new JsonArray();
    rlimits.add(nofile);
    o.add("rlimits", rlimits);
    o.addProperty("noNewPrivileges", true);
    return o;
  }

  /** runc's defaults (PATH, and TERM with a terminal), then the request's; a later key wins. */
  static List<String> env(ProcessSpec p) {
    List<String> out = new ArrayList<>();
    out.add(DEFAULT_PATH);
    if (p.terminal()) {
      out.add("TERM=xterm");
    }
    for (String kv : p.env()) {
      String key = kv.substring(0, kv.indexOf('=') + 1);
      out.removeIf(e -> e.startsWith(key));
      out.add(kv);
    }
    return out;
  }

  private static JsonObject linux(Resources r, String cgroupsPath) {
    JsonObject linux = new JsonObject();
    linux.add("resources", resources(r));
    linux.addProperty("cgroupsPath", cgroupsPath);
    JsonArray ns = new JsonArray();
    for (String type : NAMESPACES) {
      JsonObject o = new JsonObject();
      o.addProperty("type", type);
      ns.add(o);
    }
    linux.add("namespaces", ns);
    linux.add("maskedPaths", strings(MASKED));
    linux.add("readonlyPaths", strings(READONLY));
    return linux;
  }

  private static JsonObject resources(Resources r) {
    JsonObject o = new JsonObject();
    JsonObject denyAll = new JsonObject();
    denyAll.addProperty("allow", false);
    denyAll.addProperty("access", "rwm");
    JsonArray devices = new JsonArray();
    devices.add(denyAll);
    o.add("devices", devices);
    addLimit(o, "memory", "limit", r.memoryLimit());
    addLimit(o, "pids", "limit", r.pidsLimit());
    addLimit(o, "cpu", "shares", r.cpuShares());
    addLimit(o, "cpu", "quota", r.cpuQuota());
    addLimit(o, "cpu", "period", r.cpuPeriod());
    return o;
  }

  private static void addLimit(JsonObject resources, String group, String name, Long value) {
    if (value == null) {
      return;
    }
    if (!resources.has(group)) {
      resources.add(group, new JsonObject());
    }
    resources.getAsJsonObject(group).addProperty(name, value);
  }

  static JsonArray strings(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
