package dev.corral.runtime;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.corral.core.CorralException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a container's inspect shows of its OCI spec, read back from the daemon's copy of {@code
 * config.json}: the process, the root and the resource limits. Read from the copy (not the request)
 * so a bundle's own spec and a generated one are shown the same way. A missing field is null.
 *
 * <p>Immutable; {@link #read} does file I/O and belongs on a worker or the recovery scan.
 */
public record SpecSummary(
    List<String> args,
    List<String> env,
    String cwd,
    Integer uid,
    Integer gid,
    boolean terminal,
    String rootPath,
    boolean rootReadonly,
    Long memoryLimit,
    Long cpuShares,
    Long cpuQuota,
    Long cpuPeriod,
    Long pidsLimit) {
  public SpecSummary {
    args = List.copyOf(args);
    env = List.copyOf(env);
  }

  /**
   * Reads {@code bundleDir/config.json}.
   *
   * @throws CorralException when the file cannot be read or is not a JSON object
   */
  public static SpecSummary read(Path bundleDir) {
    Path file = bundleDir.resolve("config.json");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CorralException.internal(e, "%s: cannot read: %s", file, e);
    }
    return parse(file, text);
  }

  /**
   * As {@link #read}, from the content of {@code bundleDir/config.json} the caller has read.
   *
   * @throws CorralException when it is not a JSON object
   */
  public static SpecSummary parse(Path bundleDir, byte[] config) {
    return parse(bundleDir.resolve("config.json"), new String(config, StandardCharsets.UTF_8));
  }

  private static SpecSummary parse(Path file, String text) {
    JsonObject spec = Bundles.parseObject(file.toString(), text);
    JsonObject process = object(spec, "process");
    JsonObject user = object(process, "user");
    JsonObject root = object(spec, "root");
    JsonObject res = object(object(spec, "linux"), "resources");
    return new SpecSummary(
        strings(process.get("args")),
        strings(process.get("env")),
        string(process.get("cwd")),
        integer(user.get("uid")) == null ? null : integer(user.get("uid")).intValue(),
        integer(user.get("gid")) == null ? null : integer(user.get("gid")).intValue(),
        bool(process.get("terminal")),
        string(root.get("path")),
        bool(root.get("readonly")),
        integer(object(res, "memory").get("limit")),
        integer(object(res, "cpu").get("shares")),
        integer(object(res, "cpu").get("quota")),
        integer(object(res, "cpu").get("period")),
        integer(object(res, "pids").get("limit")));
  }

  private static JsonObject object(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
  }

  private static List<String> strings(JsonElement e) {
    List<String> out = new ArrayList<>();
    if (e != null && e.isJsonArray()) {
      for (JsonElement v : (JsonArray) e) {
        if (v.isJsonPrimitive()) {
          out.add(v.getAsString());
        }
      }
    }
    return out;
  }

  private static String string(JsonElement e) {
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }

  private static boolean bool(JsonElement e) {
    return e != null
        && e.isJsonPrimitive()
        && e.getAsJsonPrimitive().isBoolean()
        && e.getAsBoolean();
  }

  private static Long integer(JsonElement e) {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      return null;
    }
    try {
      return e.getAsBigDecimal().longValueExact();
    } catch (ArithmeticException notALong) {
      return null;
    }
  }
}
