package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.ProcessRequest;
import dev.corral.supervisor.task.ResourceLimits;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {
  @Test
  void everyErrorKindHasTheStatusOfTheDesign() {
    Map<ErrorKind, Integer> expected =
        Map.ofEntries(
            Map.entry(ErrorKind.INVALID_ARGUMENT, 400),
            Map.entry(ErrorKind.NOT_FOUND, 404),
            Map.entry(ErrorKind.PERMISSION_DENIED, 403),
            Map.entry(ErrorKind.METHOD_NOT_ALLOWED, 405),
            Map.entry(ErrorKind.ALREADY_EXISTS, 409),
            Map.entry(ErrorKind.FAILED_PRECONDITION, 409),
            Map.entry(ErrorKind.PAYLOAD_TOO_LARGE, 413),
            Map.entry(ErrorKind.UNAVAILABLE, 503),
            Map.entry(ErrorKind.DEADLINE_EXCEEDED, 504),
            Map.entry(ErrorKind.NOT_IMPLEMENTED, 501),
            Map.entry(ErrorKind.INSUFFICIENT_STORAGE, 507),
            Map.entry(ErrorKind.INTERNAL, 500));
    for (ErrorKind k : ErrorKind.values()) {
      assertEquals(expected.get(k), HttpErrors.status(k), k.name());
    }
  }

  @Test
  void jettysOwnStatusesGetTheCodeOfTheirKind() {
    assertEquals(ErrorKind.INVALID_ARGUMENT, HttpErrors.kind(400));
    assertEquals(ErrorKind.PERMISSION_DENIED, HttpErrors.kind(403));
    assertEquals(ErrorKind.NOT_FOUND, HttpErrors.kind(404));
    assertEquals(ErrorKind.INVALID_ARGUMENT, HttpErrors.kind(431));
    assertEquals(ErrorKind.INTERNAL, HttpErrors.kind(502));
    assertEquals(
        "{\"message\":\"request: Ambiguous URI path separator\",\"code\":\"invalid_argument\"}\n",
        JsonErrorHandler.body(400, "Ambiguous URI path separator", null));
  }

  @Test
  void errorBodiesCarryMessageAndCodeButHideInternalDetail() {
    assertEquals(
        "{\"message\":\"container c1: not found\",\"code\":\"not_found\"}",
        Json.error(CorralException.notFound("container c1: not found")));
    assertEquals(
        "{\"message\":\"internal error; see the daemon log\",\"code\":\"internal\"}",
        Json.error(CorralException.internal(null, "secret /path detail")));
  }

  @Test
  void eventsSerializeInTheDesignsFieldOrderWithNanoseconds() {
    Event e =
        new Event(
            42, Instant.parse("2026-11-23T16:28:46.284849964Z"), EventType.EXIT, "c1", "init", 3);
    assertEquals(
        "{\"seq\":42,\"timestamp\":\"2026-11-23T16:28:46.284849964Z\",\"type\":\"exit\","
            + "\"id\":\"c1\",\"pid\":\"init\",\"status\":3}",
        Json.event(e));
    assertEquals("{\"seq\":7,\"type\":\"live\"}", Json.event(Event.marker(EventType.LIVE, 7)));
  }

  @Test
  void aJournalDamagedEventCarriesTheLostRange() {
    Event e =
        new Event(
            51,
            Instant.parse("2026-11-23T16:28:46.000000001Z"),
            EventType.JOURNAL_DAMAGED,
            null,
            null,
            null,
            "corrupt",
            new Event.Lost(50, 50),
            null);
    assertEquals(
        "{\"seq\":51,\"timestamp\":\"2026-11-23T16:28:46.000000001Z\",\"type\":\"journal-damaged\","
            + "\"reason\":\"corrupt\",\"lost\":{\"first\":50,\"last\":50}}",
        Json.event(e));
  }

  @Test
  void createRequestParsesEveryField() {
    CreateRequest r =
        CreateRequests.parse(
            "default",
            Json.parseObject(
                "{\"id\":\"c1\",\"bundle\":\"/b\",\"labels\":{\"a\":\"1\"},\"stdin\":true,"
                    + "\"terminal\":false,\"runtime\":\"runc\",\"runtimeArgs\":[\"--debug\"]}"));
    assertEquals(
        new CreateRequest(
            ContainerRef.of("c1"),
            Path.of("/b"),
            Map.of("a", "1"),
            true,
            false,
            List.of("--debug")),
        r);
  }

  @Test
  void createRequestParsesRootfsProcessAndResources() {
    CreateRequest r =
        CreateRequests.parse(
            "default",
            Json.parseObject(
                "{\"id\":\"c1\",\"rootfs\":\"/r\",\"process\":{\"args\":[\"sh\"],"
                    + "\"env\":[\"A=1\"],\"cwd\":\"/tmp\",\"terminal\":true,"
                    + "\"user\":{\"uid\":1,\"gid\":2}},\"resources\":{\"memory\":{\"limit\":"
                    + "67108864},\"pids\":{\"limit\":10},\"cpu\":{\"shares\":512}}}"));
    assertEquals(Path.of("/r"), r.rootfs());
    assertEquals(
        new ProcessRequest(List.of("sh"), List.of("A=1"), "/tmp", true, 1, 2), r.process());
    assertEquals(new ResourceLimits(67108864L, 10L, 512L, null, null), r.resources());
    assertTrue(r.terminal(), "a process terminal makes conmon allocate one");
  }

  @Test
  void createRequestErrorsNameTheirField() {
    String[][] cases = {
      {"{\"id\":\"c1\",\"bundle\":\"/b\",\"labels\":[1]}", "labels"},
      {"{\"id\":\"c1\",\"bundle\":\"/b\",\"labels\":{\"a\":1}}", "labels"},
      {"{\"id\":\"c1\",\"bundle\":\"/b\",\"runtimeArgs\":\"--x\"}", "runtimeArgs"},
      {"{\"id\":\"c1\",\"bundle\":\"/b\",\"runtimeArgs\":[\"--root=/etc\"]}", "runtimeArgs"},
      {"{\"id\":\"c1\",\"bundle\":\"/b\",\"runtime\":\"crun\"}", "runtime"},
      {"{\"id\":\"c1\",\"bundle\":\"/b\",\"terminal\":1}", "terminal"},
      {"{\"id\":\"c1\",\"bundle\":7}", "bundle"},
      {"{\"id\":\"../c1\",\"bundle\":\"/b\"}", "id"},
      {"{\"bundle\":\"/b\"}", "id"},
      {"{\"id\":\"c1\",\"bundel\":\"/b\"}", "bundel"},
    };
    for (String[] c : cases) {
      CorralException e =
          assertThrows(
              CorralException.class, () -> CreateRequests.parse("default", Json.parseObject(c[0])));
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), c[0]);
      assertTrue(e.getMessage().startsWith(c[1] + ":"), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void noPivotIsNotImplementedYetAndACheckpointMustBeAnAbsolutePath() {
    CorralException e =
        assertThrows(
            CorralException.class,
            () ->
                CreateRequests.parse(
                    "default",
                    Json.parseObject("{\"id\":\"c1\",\"bundle\":\"/b\",\"noPivotRoot\":true}")));
    assertEquals(ErrorKind.NOT_IMPLEMENTED, e.kind());
    e =
        assertThrows(
            CorralException.class,
            () ->
                CreateRequests.parse(
                    "default",
                    Json.parseObject("{\"id\":\"c1\",\"bundle\":\"/b\",\"checkpoint\":\"cp1\"}")));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals("checkpoint: cp1 is not an absolute path", e.getMessage());
    assertEquals(
        Path.of("/r/containers/c0/checkpoints/cp1"),
        CreateRequests.parse(
                "default",
                Json.parseObject(
                    "{\"id\":\"c1\",\"bundle\":\"/b\","
                        + "\"checkpoint\":\"/r/containers/c0/checkpoints/cp1\"}"))
            .checkpoint());
  }

  @Test
  void malformedJsonIsABodyError() {
    for (String body : new String[] {"{", "[]", "\"x\"", "{\"a\":}"}) {
      CorralException e = assertThrows(CorralException.class, () -> Json.parseObject(body));
      assertTrue(e.getMessage().startsWith("body: "), e.getMessage());
    }
  }

  @Test
  void malformedJsonSaysWhereInCorralsWordsOnly() {
    String[][] cases = {
      {"{\"id\": \"c1\", ", "body: malformed JSON at line 1 column 14"},
      {"{\"a\":}", "body: malformed JSON at line 1 column 6"},
      {"{id: 1}", "body: malformed JSON at line 1 column 3"},
      {"{\"a\":1} x", "body: malformed JSON at line 1 column 10"},
      {"{\"a\":1} {}", "body: malformed JSON at line 1 column 10"},
    };
    for (String[] c : cases) {
      CorralException e = assertThrows(CorralException.class, () -> Json.parseObject(c[0]));
      assertEquals(c[1], e.getMessage(), c[0]);
      assertFalse(e.getMessage().contains("JsonReader"), e.getMessage());
    }
  }
}
