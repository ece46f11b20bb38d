package dev.corral.runtime;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.corral.core.CorralException;
import dev.corral.core.DiskFull;
import dev.corral.core.ErrorKind;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed runc call into a {@link CorralException} that carries runc's own last log message.
 * The kind is decided here, next to the runc call (go-runc's way), from the wording runc 1.1 uses:
 * "container does not exist", "container with id exists" / "already exists", "container not
 * running", "cannot start an already running container", ...
 *
 * <p>Stateless; usable from any thread.
 */
final class RuncErrors {
  private static final List<String> STATE_PROBLEMS =
      List.of("not running", "is paused", "not paused", "not stopped", "is stopped", "cannot ");

  private static final Pattern QUOTED_MSG =
      Pattern.compile("(?:^|\\s)msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern BARE_MSG = Pattern.compile("(?:^|\\s)msg=([^\\s\"]\\S*)");

  private RuncErrors() {}

  /** {@code container ID: runc VERB: MSG}, classified. */
  static CorralException of(String id, String verb, String msg) {
    String text = String.format("container %s: runc %s: %s", id, verb, msg);
    return new CorralException(kindOf(msg), text, null);
  }

  static ErrorKind kindOf(String msg) {
    String m = msg.toLowerCase(Locale.ROOT);
    if (DiskFull.said(m)) {
      return ErrorKind.INSUFFICIENT_STORAGE;
    }
    if (m.contains("not exist")) {
      return ErrorKind.NOT_FOUND;
    }
    if (m.contains("already exists") || m.contains("with id exists")) {
      return ErrorKind.ALREADY_EXISTS;
    }
    if (STATE_PROBLEMS.stream().anyMatch(m::contains)) {
      return ErrorKind.FAILED_PRECONDITION;
    }
    return ErrorKind.INTERNAL;
  }

  /**
   * The "msg" of the last JSON line of runc's {@code --log}; failing that the last line of its
   * stderr; failing that the exit code.
   */
  static String lastMessage(String jsonLog, String stderr, int exitCode) {
    String[] lines = jsonLog.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String msg = msgOf(lines[i]);
      if (msg != null) {
        return msg;
      }
    }
    String[] errLines = stderr.strip().split("\n");
    String last = errLines[errLines.length - 1].strip();
    return last.isEmpty() ? "exit status " + exitCode : last;
  }

  /**
   * runc's message out of what it printed on stderr, which conmon relays verbatim: logrus text
   * lines ({@code time="..." level=error msg="runc create failed: ..."}) or JSON lines. The last
   * line with a message wins; text in neither format is returned stripped.
   */
  static String fromStderr(String text) {
    String[] lines = text.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String msg = msgOf(lines[i]);
      if (msg == null) {
        msg = logfmtMsg(lines[i]);
      }
      if (msg != null) {
        return msg;
      }
    }
    return text.strip();
  }

  private static String logfmtMsg(String line) {
    Matcher quoted = QUOTED_MSG.matcher(line);
    if (quoted.find()) {
      return unquote(quoted.group(1));
    }
    Matcher bare = BARE_MSG.matcher(line);
    return bare.find() ? bare.group(1) : null;
  }

  /** Undoes Go's strconv.Quote for the escapes runc's messages contain. */
  private static String unquote(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        out.append(next == 'n' ? '\n' : next == 't' ? '\t' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String msgOf(String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      JsonElement e = JsonParser.parseString(line);
      if (!e.isJsonObject()) {
        return null;
      }
      JsonObject o = e.getAsJsonObject();
      return o.has("msg") && o.get("msg").isJsonPrimitive() ? o.get("msg").getAsString() : null;
    } catch (JsonParseException e) {
      return null;
    }
  }
}
