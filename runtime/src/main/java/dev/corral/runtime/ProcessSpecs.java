package dev.corral.runtime;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.corral.core.CorralException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds an exec's OCI process JSON from the container's own process (so it keeps the container's
 * capabilities, rlimits, no-new-privileges and apparmor profile: {@code runc exec --process} takes
 * the file as the whole truth) with the user's fields laid over it.
 *
 * <p>Stateless; usable from any thread.
 */
public final class ProcessSpecs {
  private static final Gson GSON = new Gson();

  private ProcessSpecs() {}

  /** Reads {@code bundle/config.json}'s process, applies {@code p}, writes it to {@code out}. */
  public static void write(Path bundleConfig, ExecProcessSpec p, Path out) throws IOException {
    JsonObject process = merge(containerProcess(bundleConfig), p);
    Files.writeString(out, GSON.toJson(process), StandardCharsets.UTF_8);
  }

  static JsonObject merge(JsonObject base, ExecProcessSpec p) {
    JsonObject o = base.deepCopy();
    JsonArray args = new JsonArray();
    p.args().forEach(args::add);
    o.add("args", args);
    o.add("env", env(o.get("env"), p));
    if (p.cwd() != null) {
      o.addProperty("cwd", p.cwd());
    }
    if (p.uid() != null || p.gid() != null) {
      o.add("user", user(o.get("user"), p));
    }
    o.addProperty("terminal", p.terminal());
    o.remove("consoleSize"); // the container's size is not the exec client's
    if (p.consoleSize() != null) {
      JsonObject size = new JsonObject();
      size.addProperty("height", p.consoleSize().height());
      size.addProperty("width", p.consoleSize().width());
      o.add("consoleSize", size); // runc sizes the pty before the process runs
    }
    return o;
  }

  /** The container's env, then the request's, each name once (the request wins). */
  private static JsonArray env(JsonElement base, ExecProcessSpec p) {
    Map<String, String> byName = new LinkedHashMap<>();
    if (base != null && base.isJsonArray()) {
      base.getAsJsonArray().forEach(e -> put(byName, e.getAsString()));
    }
    p.env().forEach(e -> put(byName, e));
    JsonArray a = new JsonArray();
    byName.values().forEach(a::add);
    return a;
  }

  private static void put(Map<String, String> byName, String entry) {
    int eq = entry.indexOf('=');
    byName.put(eq < 0 ? entry : entry.substring(0, eq), entry);
  }

  private static JsonObject user(JsonElement base, ExecProcessSpec p) {
    JsonObject u = new JsonObject();
    JsonObject old =
        base != null && base.isJsonObject() ? base.getAsJsonObject() : new JsonObject();
    u.addProperty("uid", p.uid() != null ? p.uid() : intOr(old, "uid"));
    u.addProperty("gid", p.gid() != null ? p.gid() : p.uid() != null ? 0 : intOr(old, "gid"));
    return u;
  }

  private static int intOr(JsonObject o, String field) {
    return o.has(field) ? o.get(field).getAsInt() : 0;
  }

  private static JsonObject containerProcess(Path config) throws IOException {
    try {
      JsonElement root = JsonParser.parseString(Files.readString(config));
      JsonElement process = root.isJsonObject() ? root.getAsJsonObject().get("process") : null;
      return process != null && process.isJsonObject()
          ? process.getAsJsonObject()
          : new JsonObject();
    } catch (JsonParseException e) {
      throw CorralException.internal(e, "bundle %s: unreadable: %s", config, e.getMessage());
    }
  }
}
