package dev.corral.daemon;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * Makes the random requests of {@link HostileRequestIT}. Every path it puts in a request carries
 * the run's marker (or is the daemon's root, the good bundle, or a fixed system file), so a file a
 * request made anywhere can be found by name. It never names an existing directory outside the test
 * as a rootfs: runc would rightly create {@code dev/ proc/ sys/} in it.
 *
 * <p>Immutable; each client thread passes its own {@link Random}.
 */
final class HostileRequests {
  /** One request as sent; the body may be null. */
  record Req(String method, String target, byte[] body) {
    @Override
    public String toString() {
      String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
      return method + " " + target + " " + (b.length() > 200 ? b.substring(0, 200) + "..." : b);
    }
  }

  private static final String[] METHODS = {
    "GET", "GET", "POST", "POST", "POST", "DELETE", "PATCH", "PUT", "HEAD", "OPTIONS", "TRACE",
    "FOO"
  };
  private static final String[] TEMPLATES = {
    "/v1/_ping",
    "/v1/version",
    "/v1/info",
    "/metrics",
    "/v1/events",
    "/v1/containers",
    "/v1/containers/{id}",
    "/v1/containers/{id}/wait",
    "/v1/containers/{id}/signal",
    "/v1/containers/{id}/pause",
    "/v1/containers/{id}/resume",
    "/v1/containers/{id}/resources",
    "/v1/containers/{id}/processes",
    "/v1/containers/{id}/processes/{pid}/wait",
    "/v1/containers/{id}/processes/{pid}/close-stdin",
    "/v1/containers/{id}/processes/{pid}/resize",
    "/v1/containers/{id}/attach",
    "/v1/containers/{id}/stats",
    "/v1/containers/{id}/logs",
    "/v1/containers/{id}/checkpoints",
    "/v1/containers/{id}/checkpoints/{pid}",
    "/v1/containers/{id}/stop",
    "/v1/namespaces",
    "/v1/namespaces/{id}",
    "/v1/namespaces/hn",
    "/v2/containers",
    "/",
    "/v1",
    "//v1//containers",
    "/v1/./_ping",
    "/v1/containers/{id}/../../_ping",
    "/v1/containers/{id}/%2e%2e/x"
  };
  private static final String[] QUERIES = {
    "",
    "",
    "",
    "?force=1",
    "?force=x",
    "?label=a=b",
    "?label==",
    "?since=garbage",
    "?after=-1",
    "?after=99999999999999999999",
    "?tail=-5",
    "?tail=abc",
    "?stored=1",
    "?%zz",
    "?id=../x",
    "?type=exit&stored=1",
    "?until=1e99",
    "?namespace=../../etc",
    "?namespace=hn",
    "?namespace=hn&force=1",
    "?namespace=%2e%2e"
  };

  private final String marker;
  private final Path root;
  private final Path goodBundle;
  private final Path testDir;

  HostileRequests(String marker, Path root, Path goodBundle, Path testDir) {
    this.marker = marker;
    this.root = root;
    this.goodBundle = goodBundle;
    this.testDir = testDir;
  }

  Req next(Random r) {
    if (r.nextInt(20) == 0) {
      return validCreate(r);
    }
    String method = pick(r, METHODS);
    String path = pick(r, TEMPLATES).replace("{id}", id(r)).replace("{pid}", id(r));
    String target = safeQuery(path, pick(r, QUERIES));
    boolean withBody = method.equals("POST") || method.equals("PATCH") || r.nextInt(8) == 0;
    return new Req(method, target, withBody ? body(r) : null);
  }

  /** Streams that never end on their own are asked for their stored part only. */
  private static String safeQuery(String path, String query) {
    if (path.endsWith("/events")) {
      return path + (query.isEmpty() ? "?stored=1" : query + "&stored=1");
    }
    return path + query;
  }

  /**
   * A create that may succeed: one of a few ids, in the default namespace or in {@code hn}, a
   * container that exits within a second.
   */
  private Req validCreate(Random r) {
    String id = "h" + r.nextInt(3);
    String body =
        r.nextBoolean()
            ? "{\"id\":\"" + id + "\",\"bundle\":\"" + goodBundle + "\"}"
            : "{\"id\":\""
                + id
                + "\",\"rootfs\":\""
                + goodBundle.resolve("rootfs")
                + "\",\"process\":{\"args\":[\"sleep\",\"1\"]}}";
    String target = r.nextBoolean() ? "/v1/containers" : "/v1/containers?namespace=hn";
    return new Req("POST", target, body.getBytes(StandardCharsets.UTF_8));
  }

  private String id(Random r) {
    return switch (r.nextInt(14)) {
      case 0, 1, 2 -> "h" + r.nextInt(3);
      case 3 -> "..";
      case 4 -> "%2e%2e";
      case 5 -> "a%2fb";
      case 6 -> "..%2f..%2fetc";
      case 7 -> "x".repeat(1 + r.nextInt(400));
      case 8 -> "%00";
      case 9 -> "%C3%A9";
      case 10 -> ".hidden";
      case 11 -> "-x";
      case 12 -> "%25" + marker;
      default -> "c" + r.nextInt(1000);
    };
  }

  private String path(Random r) {
    return switch (r.nextInt(14)) {
      case 0 -> root.toString();
      case 1 -> root.resolve("namespaces/default/containers/h0").toString();
      case 2 -> root + "/../" + marker;
      case 3 -> testDir.resolve(marker).toString();
      case 4 -> "/tmp/" + marker + "/../" + marker + "x";
      case 5 -> "/var/tmp/" + marker;
      case 6 -> "relative/" + marker;
      case 7 -> "";
      case 8 -> "/dev/null";
      case 9 -> "/proc/self/root" + root;
      case 10 -> goodBundle.toString();
      case 11 -> goodBundle.resolve("rootfs/../../" + marker).toString();
      case 12 -> "/" + marker + "\u0000x";
      default -> goodBundle.resolve("rootfs").toString();
    };
  }

  private byte[] body(Random r) {
    String json =
        switch (r.nextInt(12)) {
          case 0 -> json(r, 3);
          case 1 -> create(r);
          case 2 -> truncated(r, create(r));
          case 3 ->
              "{\"signal\":"
                  + pick(r, "\"TERM\"", "9", "-1", "99999999999", "\"SIGFOO\"", "1.5", "null")
                  + "}";
          case 4 ->
              "{\"memory\":{\"limit\":"
                  + number(r)
                  + "},\"cpu\":{\"shares\":"
                  + number(r)
                  + ",\"quota\":"
                  + number(r)
                  + "},\"pids\":{\"limit\":"
                  + number(r)
                  + "}}";
          case 5 ->
              "{\"id\":\"" + id(r) + "\",\"args\":" + json(r, 2) + ",\"cwd\":\"" + path(r) + "\"}";
          case 6 -> "[".repeat(1 + r.nextInt(20_000));
          case 7 -> "{\"name\":\"" + id(r) + "\",\"leaveRunning\":" + json(r, 1) + "}";
          case 8 -> "{\"height\":" + number(r) + ",\"width\":" + number(r) + "}";
          case 9 -> "\"" + "z".repeat(r.nextInt(100_000)) + "\"";
          case 10 -> "{\"timeout\":" + number(r) + "}";
          default -> "";
        };
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    if (r.nextInt(30) == 0 && bytes.length > 0) {
      bytes[r.nextInt(bytes.length)] = (byte) (0x80 + r.nextInt(0x80)); // not UTF-8
    }
    return bytes;
  }

  private static String truncated(Random r, String json) {
    return json.substring(0, r.nextInt(json.length()));
  }

  private String create(Random r) {
    StringBuilder b = new StringBuilder("{\"id\":\"").append(id(r)).append('"');
    String[] fields = {"bundle", "rootfs", "checkpoint"};
    for (String f : fields) {
      if (r.nextBoolean()) {
        b.append(",\"").append(f).append("\":\"").append(path(r)).append('"');
      }
    }
    if (r.nextBoolean()) {
      b.append(",\"process\":{\"args\":")
          .append(json(r, 2))
          .append(",\"cwd\":\"")
          .append(path(r))
          .append("\",\"user\":{\"uid\":")
          .append(number(r))
          .append("}}");
    }
    if (r.nextInt(4) == 0) {
      b.append(",\"labels\":").append(json(r, 2));
    }
    if (r.nextInt(4) == 0) {
      b.append(",\"")
          .append(
              pick(
                  r,
                  "stdin",
                  "terminal",
                  "runtime",
                  "runtimeArgs",
                  "resources",
                  "noPivotRoot",
                  "extra"))
          .append("\":")
          .append(json(r, 2));
    }
    return b.append('}').toString();
  }

  private String json(Random r, int depth) {
    int kind = depth <= 0 ? r.nextInt(5) : r.nextInt(7);
    return switch (kind) {
      case 0 -> "null";
      case 1 -> r.nextBoolean() ? "true" : "false";
      case 2 -> number(r);
      case 3 -> "\"" + pick(r, "", "TERM", "sh", "..", marker, "=", "a=b", "\\u0000", "é") + "\"";
      case 4 -> "\"" + path(r) + "\"";
      case 5 -> "[" + json(r, depth - 1) + "," + json(r, depth - 1) + "]";
      default -> "{\"" + pick(r, "a", "args", "memory", "k", "") + "\":" + json(r, depth - 1) + "}";
    };
  }

  private static String number(Random r) {
    return pick(
        r,
        "0",
        "-1",
        "1",
        "1.5",
        "1e999999",
        "-0",
        "123456789012345678901234567890",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "2147483648",
        "NaN");
  }

  private static String pick(Random r, String... options) {
    return options[r.nextInt(options.length)];
  }
}
