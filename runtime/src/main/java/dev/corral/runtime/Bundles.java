package dev.corral.runtime;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Checks a user's OCI bundle and writes the daemon's own copy of its config.json, the one runc is
 * given: {@code root.path} made absolute (so the copy may live elsewhere) and {@code
 * linux.cgroupsPath} set to {@code PARENT/ID}, {@code /corral/ID} by default (so every container
 * sits under one cgroup parent in each hierarchy). The user's bundle is only read, never modified.
 *
 * <p>Stateless; usable from any thread (two threads must not prepare the same target dir).
 */
public final class Bundles {
  /** The default cgroup parent of every container, in every hierarchy. */
  public static final String CGROUP_PARENT = "/corral";

  private static final long MAX_CONFIG_BYTES = 8 << 20;
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

  private Bundles() {}

  /**
   * Validates {@code userBundle} and writes {@code targetDir/config.json}.
   *
   * @param bundleField the request field the path came from, named in every error message
   * @return {@code targetDir}, the bundle dir to hand runc
   * @throws CorralException invalid_argument naming the field and what is wrong
   */
  public static Path prepare(String bundleField, Path userBundle, Path targetDir, String id) {
    return prepare(bundleField, userBundle, targetDir, id, CGROUP_PARENT);
  }

  /**
   * As {@link #prepare(String, Path, Path, String)}, with the container's cgroup at {@code
   * cgroupParent/ID}.
   *
   * @param cgroupParent an absolute cgroup path, checked by {@link #requireCgroupParent}
   */
  public static Path prepare(
      String bundleField, Path userBundle, Path targetDir, String id, String cgroupParent) {
    return prepare(bundleField, userBundle, targetDir, id, cgroupParent, null);
  }

  /**
   * As {@link #prepare(String, Path, Path, String, String)}, with {@code process.terminal} set to
   * what the create asked for (unless null): runc refuses a terminal process without conmon's
   * console socket ({@code -t}), and allocates none for a process that does not ask. One write of
   * the copy, not a second one to set the flag.
   */
  public static Path prepare(
      String bundleField,
      Path userBundle,
      Path targetDir,
      String id,
      String cgroupParent,
      Boolean terminal) {
    Ids.require("id", id);
    requireCgroupParent(cgroupParent);
    Path configFile = requireConfigFile(bundleField, userBundle);
    String context = bundleField + ": " + configFile;
    JsonObject config = parseObject(context, read(context, configFile));
    requireObject(context, config, "process");
    JsonObject root = requireObject(context, config, "root");
    root.addProperty("path", rootPath(context, userBundle, root).toString());
    linux(context, config).addProperty("cgroupsPath", cgroupParent + "/" + id);
    if (terminal != null) {
      requireObject(context, config, "process").addProperty("terminal", terminal);
    }
    writeAtomically(targetDir, "config.json", GSON.toJson(config) + "\n");
    return targetDir;
  }

  /**
   * The root filesystem {@code userBundle}'s config.json names, resolved against the bundle,
   * without writing anything: what {@link #prepare} would hand runc.
   *
   * @throws CorralException invalid_argument naming {@code bundleField}, as {@link #prepare}
   */
  public static Path rootPath(String bundleField, Path userBundle) {
    Path configFile = requireConfigFile(bundleField, userBundle);
    String context = bundleField + ": " + configFile;
    JsonObject config = parseObject(context, read(context, configFile));
    return rootPath(context, userBundle, requireObject(context, config, "root"));
  }

  /**
   * Writes the limits a {@code runc update} applied into {@code linux.resources} of the prepared
   * copy in {@code bundleDir}, so the copy keeps saying what the container runs with (a restarted
   * daemon reads it back). The limits left null stay as they are.
   */
  public static void setResources(Path bundleDir, ResourceUpdate applied) {
    String context = "bundle: " + bundleDir.resolve("config.json");
    JsonObject config = parseObject(context, read(context, bundleDir.resolve("config.json")));
    JsonObject linux = linux(context, config);
    if (!linux.has("resources") || !linux.get("resources").isJsonObject()) {
      linux.add("resources", new JsonObject());
    }
    JsonObject res = linux.getAsJsonObject("resources");
    setLimit(res, "memory", "limit", applied.memory());
    setLimit(res, "cpu", "shares", applied.cpuShares());
    setLimit(res, "cpu", "quota", applied.cpuQuota());
    setLimit(res, "cpu", "period", applied.cpuPeriod());
    setLimit(res, "pids", "limit", applied.pids());
    writeAtomically(bundleDir, "config.json", GSON.toJson(config) + "\n");
  }

  private static void setLimit(JsonObject res, String group, String name, Long value) {
    if (value == null) {
      return;
    }
    if (!res.has(group) || !res.get(group).isJsonObject()) {
      res.add(group, new JsonObject());
    }
    res.getAsJsonObject(group).addProperty(name, value);
  }

  /**
   * Whether the prepared copy in {@code bundleDir} runs its process on a terminal, read back from
   * its {@code config.json} (used to rebuild a container whose own record was damaged).
   *
   * @throws CorralException when the copy is unreadable or has no {@code process} object
   */
  public static boolean terminal(Path bundleDir) {
    String context = "bundle: " + bundleDir.resolve("config.json");
    JsonObject config = parseObject(context, read(context, bundleDir.resolve("config.json")));
    JsonElement t = requireObject(context, config, "process").get("terminal");
    return t != null && t.isJsonPrimitive() && t.getAsBoolean();
  }

  /**
   * Returns {@code parent} when it is an absolute cgroup path whose every segment is a valid id (so
   * it can never climb out with {@code ..}).
   *
   * @throws CorralException invalid_argument naming the cgroup parent
   */
  public static String requireCgroupParent(String parent) {
    if (parent == null || !parent.startsWith("/") || parent.length() < 2) {
      throw CorralException.invalidArgument(
          "cgroup parent: %s is not an absolute cgroup path", parent);
    }
    for (String segment : parent.substring(1).split("/", -1)) {
      if (!Ids.isValid(segment)) {
        throw CorralException.invalidArgument(
            "cgroup parent: segment \"%s\" of %s is not a valid name", segment, parent);
      }
    }
    return parent;
  }

  private static Path requireConfigFile(String field, Path bundle) {
    if (bundle == null || bundle.toString().isEmpty()) {
      throw CorralException.invalidArgument("%s: must not be empty", field);
    }
    if (!bundle.isAbsolute()) {
      throw CorralException.invalidArgument("%s: must be an absolute path", field);
    }
    if (!Files.exists(bundle)) {
      throw CorralException.invalidArgument("%s: %s does not exist", field, bundle);
    }
    if (!Files.isDirectory(bundle)) {
      throw CorralException.invalidArgument("%s: %s is not a directory", field, bundle);
    }
    Path config = bundle.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      throw CorralException.invalidArgument("%s: %s does not exist", field, config);
    }
    return config;
  }

  private static String read(String context, Path file) {
    try {
      if (Files.size(file) > MAX_CONFIG_BYTES) {
        throw CorralException.invalidArgument(
            "%s: larger than %d bytes", context, MAX_CONFIG_BYTES);
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CorralException.invalidArgument("%s: cannot read: %s", context, e);
    }
  }

  /** Strict parsing: Gson's default leniency would accept unquoted names and trailing junk. */
  static JsonObject parseObject(String context, String text) {
    JsonElement e;
    try {
      JsonReader reader = new JsonReader(new StringReader(text));
      reader.setStrictness(Strictness.STRICT);
      e = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new JsonParseException("trailing data after the JSON value");
      }
    } catch (JsonParseException | IOException ex) {
      throw CorralException.invalidArgument("%s: invalid JSON: %s", context, ex.getMessage());
    }
    if (!e.isJsonObject()) {
      throw CorralException.invalidArgument("%s: must be a JSON object", context);
    }
    return e.getAsJsonObject();
  }

  private static JsonObject requireObject(String context, JsonObject parent, String name) {
    JsonElement e = parent.get(name);
    if (e == null || !e.isJsonObject()) {
      throw CorralException.invalidArgument("%s: %s must be an object", context, name);
    }
    return e.getAsJsonObject();
  }

  private static Path rootPath(String context, Path bundle, JsonObject root) {
    JsonElement p = root.get("path");
    if (p == null || !p.isJsonPrimitive() || !p.getAsJsonPrimitive().isString()) {
      throw CorralException.invalidArgument("%s: root.path must be a string", context);
    }
    Path resolved = bundle.resolve(p.getAsString()).normalize();
    if (!Files.isDirectory(resolved)) {
      throw CorralException.invalidArgument(
          "%s: root.path %s is not a directory", context, resolved);
    }
    return resolved;
  }

  private static JsonObject linux(String context, JsonObject config) {
    if (!config.has("linux")) {
      config.add("linux", new JsonObject());
    }
    return requireObject(context, config, "linux");
  }

  /**
   * temp file + rename, so runc never reads a half-written config. No fsync: the copy lives in
   * {@code --state} (a tmpfs), which only the host's crash can lose, and that ends the container
   * the config was for.
   */
  static void writeAtomically(Path dir, String name, String content) {
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + name, ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (IOException e) {
      throw CorralException.internal(e, "write %s: %s", dir.resolve(name), e);
    } finally {
      Exec.deleteQuietly(tmp);
    }
  }
}
