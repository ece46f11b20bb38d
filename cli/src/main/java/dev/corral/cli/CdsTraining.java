package dev.corral.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A training run for the CLI's class-data-sharing archive, run by {@code scripts/setup} under
 * {@code -XX:ArchiveClassesAtExit}: it answers a few commands from a canned daemon on a private
 * socket, so the archive holds the classes of a whole request (connect, HTTP, JSON, table), not
 * only those of start-up, and no real corrald has to run at build time.
 *
 * <p>Main thread runs the commands; one daemon thread answers them.
 */
public final class CdsTraining {
  private static final String CONTAINERS =
      "[{\"id\":\"train\",\"status\":\"running\",\"pid\":42,\"labels\":{},"
          + "\"createdAt\":\"2026-01-01T00:00:00.000000000Z\"}]";

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("corral-cds");
    Path socket = dir.resolve("s");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread t = new Thread(() -> serve(server), "cds-daemon");
      t.setDaemon(true);
      t.start();
      PrintWriter sink = new PrintWriter(new StringWriter());
      for (String cmd : new String[] {"ps", "version", "inspect train", "ps --json"}) {
        String[] a = ("--socket " + socket + " " + cmd).split(" ");
        Main.execute(a, sink, sink, Map.of());
      }
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  private static void serve(ServerSocketChannel server) {
    while (true) {
      try (SocketChannel ch = server.accept()) {
        String req = readHead(ch);
        String body = req.startsWith("GET /v1/containers ") ? CONTAINERS : "{\"version\":\"dev\"}";
        if (req.startsWith("GET /v1/containers/")) {
          body = CONTAINERS.substring(1, CONTAINERS.length() - 1);
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + b.length
                + "\r\nConnection: close\r\n\r\n";
        ch.write(ByteBuffer.wrap((head + body).getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static String readHead(SocketChannel ch) throws IOException {
    StringBuilder sb = new StringBuilder();
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (!sb.toString().contains("\r\n\r\n") && ch.read(buf) > 0) {
      sb.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
      buf.clear();
    }
    return sb.toString();
  }
}
