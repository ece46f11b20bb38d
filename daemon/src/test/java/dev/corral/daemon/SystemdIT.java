package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * corrald under a service manager, without one running: readiness through a real datagram socket
 * named by NOTIFY_SOCKET, socket activation through systemd's own systemd-socket-activate, and the
 * journald line format.
 */
class SystemdIT {
  @TempDir Path dir;

  private List<String> daemonArgs(Path socket) {
    return List.of(
        "--root",
        dir.resolve("root").toString(),
        "--socket",
        socket.toString(),
        "--cgroup-parent",
        "/corral-it-" + Long.toHexString(System.nanoTime()));
  }

  @Test
  void readyIsSentOnlyOnceTheSocketServesAndStoppingAtShutdown() throws Exception {
    Path notify = dir.resolve("notify.sock");
    Path socket = dir.resolve("run/corral.sock");
    try (UnixDatagramChannel manager = UnixDatagramChannel.open()) {
      manager.bind(new UnixSocketAddress(notify.toFile()));
      ProcessBuilder pb =
          new ProcessBuilder(Corrald.command(daemonArgs(socket)))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("corrald.log").toFile());
      pb.environment().put("NOTIFY_SOCKET", notify.toString());
      Process daemon = pb.start();
      StateMounts.register(Corrald.stateOf(dir.resolve("root")), daemon);
      try {
        String ready = receive(manager);
        // Nothing waits between the datagram and this request: the socket serves already.
        try (Api api = new Api(socket)) {
          assertEquals(200, api.get("/v1/_ping").status());
        }
        assertTrue(ready.contains("READY=1\n"), ready);
        assertTrue(ready.contains("MAINPID=" + daemon.pid() + "\n"), ready);
        daemon.destroy();
        assertEquals("STOPPING=1\n", receive(manager));
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
      } finally {
        daemon.destroyForcibly().waitFor();
      }
    }
  }

  private static String receive(UnixDatagramChannel ch) throws Exception {
    CompletableFuture<String> got =
        CompletableFuture.supplyAsync(
            () -> {
              ByteBuffer buf = ByteBuffer.allocate(4096);
              try {
                ch.receive(buf);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              buf.flip();
              return StandardCharsets.UTF_8.decode(buf).toString();
            });
    return got.get(60, TimeUnit.SECONDS);
  }

  @Test
  void aSocketPassedBySystemdIsServedAndOutlivesTheDaemon() throws Exception {
    Path socket = dir.resolve("activated.sock");
    Path log = dir.resolve("corrald.log");
    List<String> cmd = new ArrayList<>(List.of("systemd-socket-activate", "-l", socket.toString()));
    cmd.addAll(Corrald.command(daemonArgs(socket)));
    Process daemon =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    StateMounts.register(Corrald.stateOf(dir.resolve("root")), daemon);
    try {
      awaitFile(socket);
      // The first connection starts corrald; the request waits in the socket's backlog.
      try (Api api = new Api(socket)) {
        assertEquals(200, api.get("/v1/_ping").status(), Files.readString(log));
      }
      assertTrue(Files.readString(log).contains("(socket activation)"), Files.readString(log));
      daemon.destroy();
      assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
      assertTrue(Files.exists(socket), "the service manager's socket was removed");
    } finally {
      daemon.destroyForcibly().waitFor();
    }
  }

  private static void awaitFile(Path p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(p) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(Files.exists(p), p + " never appeared");
  }

  @Test
  void underJournaldTheDaemonsLinesCarryPrioritiesAndNoTimestamps() throws Exception {
    Path socket = dir.resolve("run/corral.sock");
    Path log = dir.resolve("corrald.log");
    ProcessBuilder pb =
        new ProcessBuilder(Corrald.command(daemonArgs(socket)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JOURNAL_STREAM", "8:12345");
    Process daemon = pb.start();
    StateMounts.register(Corrald.stateOf(dir.resolve("root")), daemon);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(log).contains("corrald ready") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      String text = Files.readString(log);
      assertTrue(text.contains("<6>[main] Daemon: corrald ready"), text);
      for (String line : text.split("\n")) {
        if (line.startsWith("<")) {
          assertTrue(line.matches("<[3467]>\\[.*"), line);
        }
      }
      assertTrue(!text.matches("(?s).*<\\d>\\d{4}-\\d\\d-\\d\\dT.*"), text);
    } finally {
      daemon.destroy();
      daemon.waitFor(30, TimeUnit.SECONDS);
      daemon.destroyForcibly().waitFor();
    }
  }
}
