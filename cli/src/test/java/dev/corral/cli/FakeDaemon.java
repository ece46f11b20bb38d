package dev.corral.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in corrald on a unix socket for tests: it records every request (method, path, headers,
 * body) and answers each from a function of the request, one request per connection ({@code
 * Connection: close}), so the CLI's real client, headers and all, is what is tested.
 *
 * <p>Its accept thread answers; the test thread reads {@link #requests} after the command returns.
 */
final class FakeDaemon implements AutoCloseable {
  /** One request as it arrived; header names lower-cased. */
  record Request(String method, String path, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** {@code "GET /v1/pods?all=1"}. */
    String line() {
      return method + " " + path;
    }
  }

  /** An answer: status and JSON body (empty for none). */
  record Answer(int status, String body) {
    static Answer json(String body) {
      return new Answer(200, body);
    }
  }

  /** What a command printed and returned. */
  record Result(int code, String out, String err) {}

  private final Path socket;
  private final ServerSocketChannel server;
  private final Function<Request, Answer> answers;
  private final List<Request> requests = new CopyOnWriteArrayList<>(); // accept thread adds

  FakeDaemon(Path socket, Function<Request, Answer> answers) throws IOException {
    this.socket = socket;
    this.answers = answers;
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread t = new Thread(this::serve, "fake-corrald");
    t.setDaemon(true);
    t.start();
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** Runs {@code corral --socket SOCKET args...} with {@code env} against this daemon. */
  Result run(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--socket";
    all[1] = socket.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(all, new PrintWriter(out), new PrintWriter(err), env);
    return new Result(code, out.toString(), err.toString());
  }

  Result run(String... args) {
    return run(Map.of(), args);
  }

  private void serve() {
    while (true) {
      try (SocketChannel ch = server.accept()) {
        Request r = read(ch);
        requests.add(r);
        Answer a = answers.apply(r);
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        String head =
            "HTTP/1.1 "
                + a.status()
                + " X\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n";
        ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
        ch.write(ByteBuffer.wrap(body));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static Request read(SocketChannel ch) throws IOException {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(8192);
    int end;
    while ((end = in.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n")) < 0) {
      if (ch.read(buf.clear()) < 0) {
        throw new IOException("closed before the head ended");
      }
      in.write(buf.array(), 0, buf.position());
    }
    String[] lines = in.toString(StandardCharsets.ISO_8859_1).substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    while (in.size() < end + 4 + length) {
      if (ch.read(buf.clear()) < 0) {
        throw new IOException("closed before the body ended");
      }
      in.write(buf.array(), 0, buf.position());
    }
    byte[] all = in.toByteArray();
    String body = new String(all, end + 4, length, StandardCharsets.UTF_8);
    String[] requestLine = lines[0].split(" ");
    return new Request(requestLine[0], requestLine[1], headers, body);
  }

  @Override
  public void close() throws IOException {
    server.close();
    java.nio.file.Files.deleteIfExists(socket); // so the next one can bind the same path
  }
}
