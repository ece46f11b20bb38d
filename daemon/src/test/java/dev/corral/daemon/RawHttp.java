package dev.corral.daemon;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Bytes on the wire, exactly as written: a request line no HTTP client would send (raw {@code ..},
 * {@code %2f}, junk), one request per connection ({@code Connection: close}), the answer read to
 * EOF or until a deadline.
 */
final class RawHttp {
  /** The status line's code and the body after the headers. */
  record Answer(int status, String head, String body) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }
  }

  private static final Charset UTF8 = StandardCharsets.UTF_8;

  private RawHttp() {}

  /** {@code METHOD TARGET HTTP/1.1} with a body (or none), answered within {@code millis}. */
  static Answer request(Path socket, String method, String target, byte[] body, long millis)
      throws IOException {
    String head =
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + (body == null
                ? ""
                : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
            + "\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(head.getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      out.write(body);
    }
    return send(socket, out.toByteArray(), millis);
  }

  /** Any bytes at all; the answer parsed as HTTP. */
  static Answer send(Path socket, byte[] bytes, long millis) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.configureBlocking(false);
      long deadline = System.nanoTime() + millis * 1_000_000;
      ByteBuffer request = ByteBuffer.wrap(bytes);
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(16384);
      SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE | SelectionKey.OP_READ);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new IOException("no complete answer within " + millis + " ms: " + answer);
        }
        selector.select(left);
        if (key.isWritable() && request.hasRemaining()) {
          writeSome(ch, request);
          if (!request.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ);
          }
        }
        if (key.isReadable()) {
          buf.clear();
          int n = readOrReset(ch, buf, answer);
          if (n < 0) {
            return parse(answer.toByteArray());
          }
          answer.write(buf.array(), 0, n);
        }
        selector.selectedKeys().clear();
      }
    }
  }

  /**
   * A server that answered before reading the whole body closes with bytes unread, and the kernel
   * then resets the connection: the answer already read counts; a reset before any answer does not.
   */
  private static int readOrReset(SocketChannel ch, ByteBuffer buf, ByteArrayOutputStream answer)
      throws IOException {
    try {
      return ch.read(buf);
    } catch (IOException reset) {
      if (answer.size() == 0) {
        throw reset;
      }
      return -1;
    }
  }

  /** A server that answered early (413, 400) may close before the rest of the body is written. */
  private static void writeSome(SocketChannel ch, ByteBuffer request) {
    try {
      ch.write(request);
    } catch (IOException closedEarly) {
      request.position(request.limit());
    }
  }

  static Answer parse(byte[] raw) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1); // one char per byte
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      throw new IOException("not an HTTP answer: " + text);
    }
    int status = Integer.parseInt(text.substring(9, 12));
    String head = text.substring(0, end);
    String body = text.substring(end + 4);
    boolean chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
    return new Answer(
        status,
        head,
        new String((chunked ? dechunk(body) : body).getBytes(StandardCharsets.ISO_8859_1), UTF8));
  }

  /** Chunk sizes count bytes, which is why the body is still one char per byte here. */
  private static String dechunk(String body) throws IOException {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = body.indexOf("\r\n", at);
      if (eol < 0) {
        throw new IOException("truncated chunked body: " + body);
      }
      int size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(body, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }
}
