package dev.corral.api;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.core.Timestamps;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventType;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wire JSON: one Gson for responses, strict parsing of request bodies, and the field accessors
 * whose errors name the field ({@code "stdin: must be a boolean"}).
 *
 * <p>Stateless; usable from any thread (Gson is thread-safe).
 */
final class Json {
  static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  private static final Pattern POSITION = Pattern.compile("at line (\\d+) column (\\d+)");

  private Json() {}

  /**
   * Parses a request body strictly (Gson's default leniency would take unquoted names, single
   * quotes and trailing junk). A syntax error says where it is, in corral's words only: Gson's own
   * message carries hints meant for programmers ("Use JsonReader.setStrictness...").
   */
  static JsonObject parseObject(String body) {
    JsonElement e;
    JsonReader reader = new JsonReader(new StringReader(body));
    reader.setStrictness(Strictness.STRICT);
    try {
      e = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw CorralException.invalidArgument(
            "body: malformed JSON%s: data after the value", where(reader.toString()));
      }
    } catch (JsonParseException | IOException ex) {
      throw CorralException.invalidArgument("body: malformed JSON%s", where(deepest(ex)));
    }
    if (!e.isJsonObject()) {
      throw CorralException.invalidArgument("body: must be a JSON object");
    }
    return e.getAsJsonObject();
  }

  private static String deepest(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /** " at line L column C" from a Gson message or reader, else nothing. */
  static String where(String gsonText) {
    Matcher m = POSITION.matcher(gsonText);
    return m.find() ? " at line " + m.group(1) + " column " + m.group(2) : "";
  }

  static String string(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw CorralException.invalidArgument("%s: must be a string", field);
    }
    return e.getAsString();
  }

  static boolean bool(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      return false;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw CorralException.invalidArgument("%s: must be true or false", field);
    }
    return e.getAsBoolean();
  }

  /** A JSON integer that fits a long; null when absent. Errors name {@code field}. */
  static Long integer(JsonObject o, String field) {
    return integer(o, field, field);
  }

  /**
   * Member {@code name} of {@code o} as a JSON integer that fits a long; null when absent. Errors
   * name {@code field}, the member's full dotted path ({@code resources.memory.limit}).
   */
  static Long integer(JsonObject o, String name, String field) {
    JsonElement e = o.get(name);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    JsonPrimitive p = e.isJsonPrimitive() ? e.getAsJsonPrimitive() : null;
    if (p == null || !p.isNumber()) {
      throw CorralException.invalidArgument("%s: must be an integer", field);
    }
    try {
      return new BigDecimal(p.getAsString()).longValueExact();
    } catch (ArithmeticException | NumberFormatException notALong) {
      throw CorralException.invalidArgument("%s: %s is not a 64-bit integer", field, p);
    }
  }

  /** A string or an integer, as text; null when absent. */
  static String stringOrNumber(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    JsonPrimitive p = e.isJsonPrimitive() ? e.getAsJsonPrimitive() : null;
    if (p == null || p.isBoolean()) {
      throw CorralException.invalidArgument("%s: must be a name or a number", field);
    }
    return p.getAsString();
  }

  static String error(CorralException e) {
    JsonObject o = new JsonObject();
    boolean internal = e.kind() == ErrorKind.INTERNAL;
    o.addProperty("message", internal ? "internal error; see the daemon log" : e.getMessage());
    o.addProperty("code", e.kind().wireName());
    return GSON.toJson(o);
  }

  /** One event as a JSON object: seq, timestamp, type, then the fields it has. */
  static String event(Event e) {
    JsonObject o = new JsonObject();
    o.addProperty("seq", e.seq());
    if (e.timestamp() != null) {
      o.addProperty("timestamp", Timestamps.format(e.timestamp()));
    }
    o.addProperty("type", e.type().wireName());
    if (e.namespace() != null) {
      o.addProperty("namespace", e.namespace());
    }
    if (e.pod() != null) {
      o.addProperty("pod", e.pod());
    }
    if (e.id() != null) {
      o.addProperty("id", e.id());
    }
    if (e.pid() != null) {
      o.addProperty("pid", e.pid());
    }
    if (e.status() != null) {
      // a restart event keeps its count where an exit keeps its code
      o.addProperty(e.type() == EventType.RESTART ? "restartCount" : "status", e.status());
    }
    if (e.reason() != null) {
      o.addProperty("reason", e.reason());
    }
    if (e.lost() != null) {
      JsonObject lost = new JsonObject();
      lost.addProperty("first", e.lost().first());
      lost.addProperty("last", e.lost().last());
      o.add("lost", lost);
    }
    return GSON.toJson(o);
  }
}
