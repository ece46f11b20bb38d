package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stdin, terminals and attach against real conmon attach sockets and ctl FIFOs. */
class AttachIT {
  @TempDir static Path dir;
  static Corrald daemon;
  static Api api;
  static Path cat;

  @BeforeAll
  static void start() throws Exception {
    daemon = Corrald.start(dir);
    api = daemon.api();
    cat = Fixtures.bundle(dir.resolve("b-cat"), "cat");
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    daemon.stop();
    Fixtures.cleanUp(daemon);
  }

  private static void create(String id, Path bundle, boolean stdin, boolean terminal)
      throws Exception {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("bundle", bundle.toString());
    o.addProperty("stdin", stdin);
    o.addProperty("terminal", terminal);
    Api.Reply r = api.post("/v1/containers", o.toString());
    assertEquals(201, r.status(), r.body());
  }

  private static int exitCode(String id) throws Exception {
    return api.post("/v1/containers/" + id + "/wait", null).json().get("exitCode").getAsInt();
  }

  /** Sends the upgrade request by hand and returns the channel positioned after the 101. */
  private static SocketChannel attach(String id) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(daemon.socket));
    String req =
        "POST /v1/containers/"
            + id
            + "/attach HTTP/1.1\r\nHost: localhost\r\n"
            + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n";
    ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
    String head = readHead(ch);
    assertTrue(head.startsWith("HTTP/1.1 101"), head);
    return ch;
  }

  private static String readHead(SocketChannel ch) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      one.clear();
      if (ch.read(one) < 0) {
        break;
      }
      head.write(one.array()[0]);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IOException("attach stream ended early");
      }
    }
    b.flip();
  }

  /** Reads frames until their stdout data holds {@code want}. */
  private static String readStdoutUntil(SocketChannel ch, String want) throws IOException {
    StringBuilder out = new StringBuilder();
    while (!out.toString().contains(want)) {
      ByteBuffer header = ByteBuffer.allocate(8);
      readFully(ch, header);
      byte stream = header.get(0);
      ByteBuffer data = ByteBuffer.allocate(header.getInt(4));
      readFully(ch, data);
      assertEquals(1, stream, "cat writes to stdout");
      out.append(StandardCharsets.UTF_8.decode(data));
    }
    return out.toString();
  }

  @Test
  void attachEchoesStdinBackThroughACatContainer() throws Exception {
    create("at1", cat, true, false);
    try (SocketChannel ch = attach("at1")) {
      ch.write(ByteBuffer.wrap("hello corral\n".getBytes(StandardCharsets.UTF_8)));
      assertEquals("hello corral\n", readStdoutUntil(ch, "\n"));
      ch.write(ByteBuffer.wrap("second line\n".getBytes(StandardCharsets.UTF_8)));
      assertEquals("second line\n", readStdoutUntil(ch, "\n"));
      ch.shutdownOutput(); // closes cat's stdin: cat ends, and so does the container
      assertEquals(0, exitCode("at1"));
      assertEquals(-1, ch.read(ByteBuffer.allocate(16)), "the stream ends with the process");
    }
    assertEquals(204, api.delete("/v1/containers/at1").status());
  }

  @Test
  void closeStdinEndsACatContainerAndIsRefusedWithoutStdin() throws Exception {
    create("at2", cat, true, false);
    Api.Reply r = api.post("/v1/containers/at2/processes/init/close-stdin", null);
    assertEquals(204, r.status(), r.body());
    assertEquals(0, exitCode("at2"));
    assertEquals(204, api.delete("/v1/containers/at2").status());

    Path sleeper = Fixtures.bundle(dir.resolve("b-sleep"), "sleep", "1000");
    create("at3", sleeper, false, false);
    Api.Reply refused = api.post("/v1/containers/at3/processes/init/close-stdin", null);
    assertEquals(409, refused.status(), refused.body());
    assertEquals("container at3: process init: was not started with stdin", refused.message());
    Api.Reply noTty =
        api.post("/v1/containers/at3/processes/init/resize", "{\"height\":40,\"width\":100}");
    assertEquals(409, noTty.status(), noTty.body());
    assertEquals(204, api.delete("/v1/containers/at3?force=1").status());
  }

  @Test
  void aTerminalContainerGetsAPtyThatResizes() throws Exception {
    Path tty = Fixtures.bundle(dir.resolve("b-tty"), "sh", "-c", "tty; sleep 1000");
    create("tt1", tty, false, true);
    Api.Reply r =
        api.post("/v1/containers/tt1/processes/init/resize", "{\"height\":40,\"width\":100}");
    assertEquals(204, r.status(), r.body());
    Api.Reply bad = api.post("/v1/containers/tt1/processes/init/resize", "{\"height\":0}");
    assertEquals(400, bad.status(), bad.body());
    Api.Reply e =
        api.post(
            "/v1/containers/tt1/processes",
            "{\"id\":\"size\",\"args\":[\"stty\",\"-F\",\"/dev/console\",\"size\"]}");
    assertEquals(201, e.status(), e.body());
    Api.Reply waited = api.post("/v1/containers/tt1/processes/size/wait", null);
    assertEquals(0, waited.json().get("exitCode").getAsInt(), waited.body());
    String execLog =
        Files.readString(Fixtures.containerDir(daemon, "tt1").resolve("execs/size/exec.log"));
    assertTrue(execLog.contains("40 100"), execLog);
    String log = Files.readString(Fixtures.containerDir(daemon, "tt1").resolve("container.log"));
    assertTrue(log.matches("(?s).*/dev/(pts/\\d+|console).*"), log);
    assertEquals(204, api.delete("/v1/containers/tt1?force=1").status());
  }

  @Test
  void anExecPtyHasTheRequestedSizeFromItsFirstByte() throws Exception {
    Path sleeper = Fixtures.bundle(dir.resolve("b-sleep2"), "sleep", "1000");
    create("tt2", sleeper, false, false);
    Api.Reply e =
        api.post(
            "/v1/containers/tt2/processes",
            "{\"id\":\"sized\",\"args\":[\"stty\",\"size\"],\"terminal\":true,"
                + "\"consoleSize\":{\"height\":37,\"width\":111}}");
    assertEquals(201, e.status(), e.body());
    Api.Reply waited = api.post("/v1/containers/tt2/processes/sized/wait", null);
    assertEquals(0, waited.json().get("exitCode").getAsInt(), waited.body());
    String execLog =
        Files.readString(Fixtures.containerDir(daemon, "tt2").resolve("execs/sized/exec.log"));
    assertTrue(execLog.contains("37 111"), execLog);
    assertEquals(204, api.delete("/v1/containers/tt2?force=1").status());
  }
}
