package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call is decided on the peer credentials of each connection, not on the socket's mode:
 * here the socket and its directories are opened to everyone and other uids call through curl run
 * under setpriv. The socket's path and directory are refused or tightened at start.
 */
class AccessIT {
  @TempDir Path dir;

  /** One answer from curl run as {@code uid:gid} with no supplementary groups. */
  private record Curl(int status, String body) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }
  }

  private static Curl curlAs(int uid, int gid, Path socket, String method, String path)
      throws Exception {
    Process p =
        new ProcessBuilder(
                "setpriv",
                "--reuid=" + uid,
                "--regid=" + gid,
                "--clear-groups",
                "curl",
                "-sS",
                "-X",
                method,
                "-w",
                "\n%{http_code}",
                "--unix-socket",
                socket.toString(),
                "http://localhost" + path)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    int nl = out.lastIndexOf('\n');
    return new Curl(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
  }

  /** Opens the socket and every directory above it to everyone, as a careless admin might. */
  private static void loosen(Corrald d) throws Exception {
    for (Path p = d.socket.getParent(); p.startsWith(d.root.getParent().getParent()); ) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      p = p.getParent();
    }
    Files.setPosixFilePermissions(d.socket, PosixFilePermissions.fromString("rw-rw-rw-"));
  }

  private Corrald start(String name, String... extra) throws Exception {
    return Corrald.start(Files.createDirectories(dir.resolve(name)), extra);
  }

  @Test
  void aUidNotAllowedGets403EvenThroughALoosenedSocket() throws Exception {
    try (Corrald d = start("deny");
        Api api = d.api()) {
      loosen(d);
      Curl ping = curlAs(65534, 65534, d.socket, "GET", "/v1/_ping");
      assertEquals(403, ping.status(), ping.body());
      assertEquals("permission_denied", ping.json().get("code").getAsString());
      assertTrue(ping.json().get("message").getAsString().startsWith("uid 65534 gid 65534: "));
      Curl create = curlAs(65534, 65534, d.socket, "POST", "/v1/containers");
      assertEquals(403, create.status(), create.body());
      // the socket's group (root's, gid 0) may call by default
      assertEquals(200, curlAs(4321, 0, d.socket, "GET", "/v1/_ping").status());
      assertEquals(400, api.post("/v1/containers", "{}").status());
      // Each line is logged when its answer completes, which may be just after the client read it.
      String log = awaitLog(d, "(?s).*uid=0 pid=\\d+ POST /v1/containers -> 400.*");
      assertTrue(log.contains("uid=65534 pid="), log);
      assertTrue(log.contains(" POST /v1/containers -> 403"), log);
    }
  }

  /** The daemon's log once it matches {@code regex} (or as it is after 30 s). */
  private static String awaitLog(Corrald d, String regex) throws InterruptedException {
    String log = d.logText();
    for (int i = 0; i < 600 && !log.matches(regex); i++) {
      Thread.sleep(50);
      log = d.logText();
    }
    assertTrue(log.matches(regex), log);
    return log;
  }

  @Test
  void allowedUidsAndGidsMayCall() throws Exception {
    try (Corrald d = start("allow", "--allow-uid", "65534", "--allow-gid", "65533,65532")) {
      loosen(d);
      assertEquals(200, curlAs(65534, 65534, d.socket, "GET", "/v1/_ping").status());
      assertEquals(200, curlAs(4321, 65532, d.socket, "GET", "/v1/_ping").status());
      assertEquals(200, curlAs(0, 0, d.socket, "GET", "/v1/_ping").status());
      // --allow-gid replaces the socket's group
      assertEquals(403, curlAs(4321, 0, d.socket, "GET", "/v1/_ping").status());
      assertEquals(403, curlAs(4321, 4321, d.socket, "GET", "/v1/_ping").status());
    }
  }

  private String refusedStart(Path sub) throws Exception {
    Path log = sub.resolve("refused.log");
    Process p =
        Corrald.launch(
            List.of(
                "--root",
                sub.resolve("root").toString(),
                "--socket",
                sub.resolve("run/corral.sock").toString()),
            new String[0],
            log);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue(), Files.readString(log));
    return Files.readString(log);
  }

  @Test
  void aSocketPathHoldingARegularFileIsRefusedAndTheFileKept() throws Exception {
    Path sub = dir.resolve("file");
    Path precious = Files.createDirectories(sub.resolve("run")).resolve("corral.sock");
    Files.writeString(precious, "not a socket\n");
    String out = refusedStart(sub);
    assertTrue(out.contains(precious + " exists and is not a socket"), out);
    assertEquals("not a socket\n", Files.readString(precious));
  }

  @Test
  void anExistingLooseSocketDirectoryBecomes0750() throws Exception {
    Path run = Files.createDirectories(dir.resolve("loose/run"));
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (Corrald d = Corrald.start(dir.resolve("loose"))) {
      assertEquals(run, d.socket.getParent());
      assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
    }
  }

  @Test
  void aSocketDirectoryNotOwnedByRootIsRefused() throws Exception {
    Path sub = dir.resolve("foreign");
    Path run = Files.createDirectories(sub.resolve("run"));
    Fixtures.run("chown", "65534", run.toString());
    String out = refusedStart(sub);
    assertTrue(out.contains("directory " + run + " is owned by uid 65534, not root"), out);
  }
}
