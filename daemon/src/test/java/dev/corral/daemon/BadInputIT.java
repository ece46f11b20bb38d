package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input gets the right status and a message naming the field, and leaves nothing: no
 * state directory, no runc state, no cgroup, no conmon.
 */
class BadInputIT {
  @TempDir static Path dir;
  static Corrald daemon;
  static Api api;
  static Path good;

  @BeforeAll
  static void start() throws Exception {
    daemon = Corrald.start(dir);
    api = daemon.api();
    good = Fixtures.bundle(dir.resolve("good"), "sleep", "1000");
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    daemon.stop();
    Fixtures.cleanUp(daemon);
  }

  @AfterEach
  void nothingLeftBehind() throws Exception {
    for (Path side : List.of(daemon.root, daemon.state)) {
      List<String> left = Fixtures.containerDirs(side);
      assertEquals(
          List.of(), left.stream().filter(c -> !c.equals("default/dup")).toList(), side.toString());
    }
    assertTrue(Fixtures.runcIds(daemon.root).stream().allMatch("dup"::equals));
    Path cgroups = Fixtures.cgroupDir("memory", daemon.cgroupParent + "/default");
    if (Files.isDirectory(cgroups)) {
      try (Stream<Path> cg = Files.list(cgroups)) {
        assertTrue(
            cg.filter(Files::isDirectory)
                .map(p -> p.getFileName().toString())
                .noneMatch(n -> n.startsWith("bad")),
            "a cgroup was left behind");
      }
    }
  }

  private static void expect(int status, String code, String field, Api.Reply r) {
    assertEquals(status, r.status(), r.body());
    assertEquals(code, r.code(), r.body());
    assertTrue(r.message().startsWith(field), "message should name " + field + ": " + r.message());
  }

  private static String body(String id, String bundle) {
    return "{\"id\":" + id + ",\"bundle\":\"" + bundle + "\"}";
  }

  @Test
  void invalidIdsAreRefusedBeforeAnyPathIsBuilt() throws Exception {
    for (String id :
        new String[] {
          "\"../x\"", "\"\"", "\"" + "a".repeat(77) + "\"", "\"/\"", "\"a/b\"", "null", "7"
        }) {
      Api.Reply r = api.post("/v1/containers", body(id, good.toString()));
      assertEquals(400, r.status(), id + ": " + r.body());
      assertEquals("invalid_argument", r.code());
      assertTrue(r.message().startsWith("id"), r.message());
    }
    assertFalse(Files.exists(daemon.root.resolve("x")));
    assertFalse(Files.exists(dir.resolve("x")));
  }

  @Test
  void badBundlesNameTheBundleField() throws Exception {
    expect(
        400,
        "invalid_argument",
        "bundle",
        api.post("/v1/containers", body("\"bad1\"", "relative/path")));
    expect(
        400,
        "invalid_argument",
        "bundle",
        api.post("/v1/containers", body("\"bad2\"", dir.resolve("missing").toString())));
    Path empty = Files.createDirectories(dir.resolve("noconfig"));
    expect(
        400,
        "invalid_argument",
        "bundle",
        api.post("/v1/containers", body("\"bad3\"", empty.toString())));
    expect(400, "invalid_argument", "bundle", api.post("/v1/containers", "{\"id\":\"bad4\"}"));
  }

  @Test
  void aDuplicateIdIsAConflictAndLeavesTheFirstAlone() throws Exception {
    assertEquals(201, api.post("/v1/containers", body("\"dup\"", good.toString())).status());
    Api.Reply again = api.post("/v1/containers", body("\"dup\"", good.toString()));
    assertEquals(409, again.status());
    assertEquals("already_exists", again.code());
    assertEquals("container dup: already exists", again.message());
    assertEquals("running", api.get("/v1/containers/dup").json().get("status").getAsString());
  }

  @Test
  void unknownContainersAreNotFound() throws Exception {
    expect(404, "not_found", "container nosuch", api.get("/v1/containers/nosuch"));
    expect(
        404,
        "not_found",
        "container nosuch",
        api.post("/v1/containers/nosuch/signal", "{\"signal\":\"TERM\"}"));
    expect(404, "not_found", "container nosuch", api.post("/v1/containers/nosuch/wait", null));
    expect(404, "not_found", "container nosuch", api.delete("/v1/containers/nosuch"));
  }

  @Test
  void unknownSignalsAndMalformedBodiesAreBadRequests() throws Exception {
    expect(
        400,
        "invalid_argument",
        "signal",
        api.post("/v1/containers/dup/signal", "{\"signal\":\"FOO\"}"));
    expect(
        400,
        "invalid_argument",
        "signal",
        api.post("/v1/containers/dup/signal", "{\"signal\":99}"));
    expect(400, "invalid_argument", "body", api.post("/v1/containers", "{\"id\": \"bad5\", "));
    expect(400, "invalid_argument", "body", api.post("/v1/containers", "[1,2]"));
    expect(
        400,
        "invalid_argument",
        "stdin",
        api.post(
            "/v1/containers", "{\"id\":\"bad6\",\"bundle\":\"" + good + "\",\"stdin\":\"yes\"}"));
    expect(
        400,
        "invalid_argument",
        "colour",
        api.post("/v1/containers", "{\"id\":\"bad7\",\"colour\":\"red\"}"));
    expect(400, "invalid_argument", "type", api.get("/v1/events?type=explode"));
  }

  /**
   * The daemon answers 413 from the declared length, before reading the body, and closes the
   * connection; so this client sends only the headers and reads the answer.
   */
  @Test
  void aBodyOverOneMebibyteIsPayloadTooLarge() throws Exception {
    String head =
        "POST /v1/containers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + ((1 << 20) + 1)
            + "\r\n\r\n{";
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(daemon.socket));
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      String answer =
          new String(
              java.nio.channels.Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("\"code\":\"payload_too_large\""), answer);
      assertTrue(answer.contains("\"message\":\"body: larger than 1048576 bytes\""), answer);
    }
  }

  @Test
  void aFailingRuncCreateReturnsRuncsMessageAndCleansUp() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("nosuchexe"), "/bin/no-such-program");
    Api.Reply r = api.post("/v1/containers", body("\"bad9\"", b.toString()));
    assertEquals(400, r.status(), r.body());
    assertTrue(r.message().contains("no-such-program"), r.message());
    assertEquals(404, api.get("/v1/containers/bad9").status());
    assertFalse(Fixtures.processWithArg("bad9"), "a conmon for bad9 is still running");
  }

  @Test
  void malformedJsonSaysWhereInCorralsWordsOnly() throws Exception {
    Api.Reply r = api.post("/v1/containers", "{\"id\": \"bad5\", ");
    assertEquals(400, r.status(), r.body());
    assertEquals("body: malformed JSON at line 1 column 16", r.message());
    Api.Reply unquoted = api.post("/v1/containers", "{id: \"bad5\"}");
    assertEquals("body: malformed JSON at line 1 column 3", unquoted.message());
    for (Api.Reply bad : List.of(r, unquoted)) {
      assertFalse(bad.body().contains("JsonReader"), bad.body());
      assertFalse(bad.body().contains("Malformed"), bad.body());
      assertFalse(bad.body().contains("https://"), bad.body());
    }
  }

  @Test
  void unknownQueryParametersAre400NamingTheParameter() throws Exception {
    Api.Reply r = api.get("/v1/containers?status=running");
    assertEquals(400, r.status(), r.body());
    assertEquals("invalid_argument", r.code());
    assertEquals("status: unknown query parameter", r.message());
    assertEquals(
        "forse: unknown query parameter", api.delete("/v1/containers/dup?forse=1").message());
    assertEquals("follow: unknown query parameter", api.get("/v1/events?follow=1").message());
    assertEquals(
        "stream: unknown query parameter", api.get("/v1/containers/dup?stream=1").message());
    assertEquals(200, api.get("/v1/containers?label=a=b").status());
  }

  @Test
  void unknownRoutesAndMethods() throws Exception {
    expect(404, "not_found", "/v2/nothing", api.get("/v2/nothing"));
    Api.Reply put = api.call("PUT", "/v1/containers", "{}");
    expect(405, "method_not_allowed", "PUT /v1/containers", put);
    assertEquals("GET, HEAD, POST", put.header("Allow"));
    Api.Reply delete = api.call("DELETE", "/v1/_ping", null);
    assertEquals(405, delete.status(), delete.body());
    assertEquals("GET, HEAD", delete.header("Allow"));
  }

  @Test
  void headAnswersWhereverGetDoesWithTheHeadersAndNoBody() throws Exception {
    Api.Reply get = api.get("/v1/containers");
    Api.Reply head = api.call("HEAD", "/v1/containers", null);
    assertEquals(200, head.status());
    assertEquals("", head.body());
    assertEquals(get.header("Content-Type"), head.header("Content-Type"));
    assertEquals(200, api.call("HEAD", "/v1/_ping", null).status());
    assertEquals(200, api.call("HEAD", "/metrics", null).status());
    // A stream's HEAD ends at once, with the stream's headers and no slot held.
    Api.Reply events = api.call("HEAD", "/v1/events", null);
    assertEquals(200, events.status());
    assertEquals("application/x-ndjson", events.header("Content-Type"));
    assertEquals(200, api.call("HEAD", "/v1/events?stored=1", null).status());
    assertEquals(404, api.call("HEAD", "/v1/containers/nope", null).status());
  }

  /** Errors Jetty answers by itself carry corral's JSON body too, never an HTML page. */
  @Test
  void jettysOwnErrorsAreJsonToo() throws Exception {
    String[][] cases = {
      {"GET", "/v1/containers/%2e%2e/x", "400"},
      {"DELETE", "/v1/containers/a%2fb", "400"},
      {"GET", "/v1/containers/%2e%2e", "400"},
    };
    for (String[] c : cases) {
      RawHttp.Answer a = RawHttp.request(daemon.socket, c[0], c[1], null, 30_000);
      assertEquals(Integer.parseInt(c[2]), a.status(), c[1] + ": " + a.head() + a.body());
      assertTrue(a.head().contains("Content-Type: application/json"), a.head());
      assertEquals("invalid_argument", a.json().get("code").getAsString(), a.body());
      assertTrue(a.json().get("message").getAsString().startsWith("request: "), a.body());
    }
    byte[] junk = "GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    RawHttp.Answer line = RawHttp.send(daemon.socket, junk, 30_000);
    assertEquals(400, line.status(), line.head() + line.body());
    assertEquals("invalid_argument", line.json().get("code").getAsString(), line.body());
    String huge = "GET /v1/_ping HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(20_000) + "\r\n\r\n";
    RawHttp.Answer headers =
        RawHttp.send(daemon.socket, huge.getBytes(StandardCharsets.US_ASCII), 30_000);
    assertEquals(431, headers.status(), headers.head() + headers.body());
    assertTrue(headers.json().has("message"), headers.body());
  }

  private static String withLabels(String id, java.util.Map<String, String> labels) {
    com.google.gson.JsonObject o =
        com.google.gson.JsonParser.parseString(body("\"" + id + "\"", good.toString()))
            .getAsJsonObject();
    com.google.gson.JsonObject l = new com.google.gson.JsonObject();
    labels.forEach(l::addProperty);
    o.add("labels", l);
    return o.toString();
  }

  @Test
  void labelsBeyondTheLimitsAreRefusedNamingTheLabel() throws Exception {
    java.util.Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 65; i++) {
      many.put("k" + i, "v");
    }
    Api.Reply count = api.post("/v1/containers", withLabels("bad-l1", many));
    expect(400, "invalid_argument", "labels: 65 labels, at most 64", count);
    Api.Reply key =
        api.post("/v1/containers", withLabels("bad-l2", java.util.Map.of("k".repeat(129), "v")));
    expect(400, "invalid_argument", "labels: key \"kkk", key);
    assertTrue(key.message().length() < 200, key.message());
    Api.Reply value =
        api.post("/v1/containers", withLabels("bad-l3", java.util.Map.of("app", "v".repeat(4097))));
    expect(400, "invalid_argument", "labels: value of \"app\" is longer than 4096 bytes", value);
  }
}
