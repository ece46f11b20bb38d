package dev.corral.runtime;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OCI specs of a pod: the sandbox's, and the rewrite that puts a container into a sandbox.
 *
 * <p>The sandbox is {@link Specs}' default container running {@code /catatonit -P} (pause mode: it
 * only waits, and reaps zombies as PID 1) from the {@link SandboxRootfs} directory, with the pod's
 * hostname and new pid, network, ipc, uts and mount namespaces. Its network namespace has loopback
 * only: runc gives every new network namespace a "loopback" network and brings {@code lo} up, and
 * nothing else ever adds an interface.
 *
 * <p>A container of the pod joins the sandbox's network, ipc and uts namespaces through {@code
 * /proc/PID/ns/*} of the sandbox's process and loses its own {@code hostname}: runc (1.1) accepts a
 * hostname with a joined uts namespace and calls sethostname in it, which would rename the whole
 * pod to whatever the container's spec said. The pod's hostname is the sandbox's.
 *
 * <p>Stateless; usable from any thread (two threads must not write the same bundle dir).
 */
public final class PodSpecs {
  /** The sandbox's process: catatonit in pause mode. */
  public static final List<String> SANDBOX_ARGS = List.of(SandboxRootfs.CATATONIT, "-P");

  /** The namespaces a pod's containers share, by OCI type, with their {@code /proc/PID/ns} name. */
  static final Map<String, String> SHARED = Map.of("network", "net", "ipc", "ipc", "uts", "uts");

  private static final List<String> SHARED_ORDER = List.of("network", "ipc", "uts");

  /** sethostname(2) takes at most HOST_NAME_MAX (64) bytes; RFC 1123 labels, dot-separated. */
  private static final int MAX_HOSTNAME = 64;

  private static final Pattern HOSTNAME =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private PodSpecs() {}

  /**
   * Checks {@code hostname}: RFC 1123 labels separated by dots, at most 64 characters.
   *
   * @throws CorralException invalid_argument naming the field {@code hostname}
   */
  public static String requireHostname(String hostname) {
    if (hostname == null || hostname.isEmpty()) {
      throw CorralException.invalidArgument("hostname: must not be empty");
    }
    if (hostname.length() > MAX_HOSTNAME) {
      throw CorralException.invalidArgument(
          "hostname: longer than %d characters: %s", MAX_HOSTNAME, hostname);
    }
    if (!HOSTNAME.matcher(hostname).matches()) {
      throw CorralException.invalidArgument(
          "hostname: \"%s\" is not a host name (letters, digits, '-' and '.')", hostname);
    }
    return hostname;
  }

  /** The sandbox's whole spec (see the class doc); {@code rootfs} as {@link SandboxRootfs} made. */
  public static JsonObject sandbox(
      Path rootfs, String hostname, Resources resources, String cgroupsPath) {
    JsonObject spec = Specs.generate(rootfs, ProcessSpec.of(SANDBOX_ARGS), resources, cgroupsPath);
    spec.addProperty("hostname", requireHostname(hostname));
    return spec;
  }

  /**
   * Writes the sandbox's spec to {@code targetDir/config.json}, its cgroup at {@code
   * cgroupParent/ID}.
   *
   * @return {@code targetDir}, the bundle dir to hand runc
   * @throws CorralException invalid_argument for a bad id, cgroup parent, rootfs or hostname
   */
  public static Path writeSandbox(
      Path rootfs,
      String hostname,
      Resources resources,
      Path targetDir,
      String id,
      String cgroupParent) {
    Ids.require("id", id);
    Bundles.requireCgroupParent(cgroupParent);
    Specs.requireRootfs("sandbox rootfs", rootfs);
    JsonObject spec = sandbox(rootfs, hostname, resources, cgroupParent + "/" + id);
    Bundles.writeAtomically(targetDir, "config.json", GSON.toJson(spec) + "\n");
    return targetDir;
  }

  /**
   * Rewrites {@code spec} in place so its container joins the sandbox whose process is {@code
   * sandboxPid}: the network, ipc and uts entries of {@code linux.namespaces} get {@code
   * /proc/PID/ns/net|ipc|uts} as their path (an entry of those types is replaced where it stands, a
   * second one of the same type dropped, a missing one added at the end); every other entry stays
   * as it was. {@code hostname} and {@code domainname} are removed (see the class doc).
   *
   * <p>The paths name the process, not the namespaces: the caller must know the sandbox is running
   * when it hands the spec to runc, or a reused pid would put the container elsewhere.
   *
   * @return {@code spec}
   * @throws CorralException invalid_argument when {@code sandboxPid} is not positive, or {@code
   *     linux} or {@code linux.namespaces} is not what the OCI spec says
   */
  public static JsonObject joinSandbox(JsonObject spec, long sandboxPid) {
    if (sandboxPid <= 0) {
      throw CorralException.invalidArgument("sandbox pid: must be positive, not %d", sandboxPid);
    }
    JsonObject linux = member(spec, "linux", JsonObject.class, "spec: linux");
    JsonArray namespaces = member(linux, "namespaces", JsonArray.class, "spec: linux.namespaces");
    JsonArray out = new JsonArray();
    Set<String> joined = new HashSet<>();
    for (JsonElement e : namespaces) {
      String type = typeOf(e);
      if (type == null || !SHARED.containsKey(type)) {
        out.add(e);
      } else if (joined.add(type)) {
        out.add(joining(type, sandboxPid));
      }
    }
    for (String type : SHARED_ORDER) {
      if (joined.add(type)) {
        out.add(joining(type, sandboxPid));
      }
    }
    linux.add("namespaces", out);
    spec.remove("hostname");
    spec.remove("domainname");
    return spec;
  }

  /**
   * As {@link #joinSandbox(JsonObject, long)}, on the prepared copy {@code bundleDir/config.json},
   * written back by temp file and rename.
   */
  public static void joinSandboxBundle(Path bundleDir, long sandboxPid) {
    Path file = bundleDir.resolve("config.json");
    String context = "bundle: " + file;
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CorralException.internal(e, "%s: cannot read: %s", context, e);
    }
    JsonObject spec = joinSandbox(Bundles.parseObject(context, text), sandboxPid);
    Bundles.writeAtomically(bundleDir, "config.json", GSON.toJson(spec) + "\n");
  }

  private static JsonObject joining(String type, long pid) {
    JsonObject o = new JsonObject();
    o.addProperty("type", type);
    o.addProperty("path", "/proc/" + pid + "/ns/" + SHARED.get(type));
    return o;
  }

  private static String typeOf(JsonElement e) {
    if (!e.isJsonObject()) {
      return null;
    }
    JsonElement t = e.getAsJsonObject().get("type");
    return t != null && t.isJsonPrimitive() ? t.getAsString() : null;
  }

  /** The member {@code name} of {@code parent}, added empty when missing. */
  private static <T extends JsonElement> T member(
      JsonObject parent, String name, Class<T> type, String context) {
    JsonElement e = parent.get(name);
    if (e == null || e.isJsonNull()) {
      e = type == JsonObject.class ? new JsonObject() : new JsonArray();
      parent.add(name, e);
    }
    if (!type.isInstance(e)) {
      throw CorralException.invalidArgument(
          "%s must be %s", context, type == JsonObject.class ? "an object" : "an array");
    }
    return type.cast(e);
  }
}
