package dev.corral.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.UpgradeProtocolHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The client's half of corrald's attach: an HTTP/1.1 upgrade to a raw byte stream ({@code
 * Connection: Upgrade}, {@code Upgrade: tcp}, answered {@code 101}) through Jetty's own upgrade
 * path. The request carries an {@link HttpUpgrader.Factory} attribute; Jetty parses the 101 and,
 * once {@link #register}'s protocol handler accepts it, hands over the connection's {@link
 * EndPoint}, which this class then owns. Bytes written go to the process's stdin; {@link
 * #closeInput} half-closes, which closes that stdin. What the daemon sends (framed output) is read
 * and dropped: the CLI prints output from the process's log, which loses nothing (see {@link
 * Session}), and an unread stream would only stall the daemon's copy.
 *
 * <p>Thread-safe: one thread writes while Jetty's threads drain; {@link #close} from any thread.
 */
final class RawStream implements AutoCloseable {
  private final EndPoint endPoint;
  private final Drain drain;

  private RawStream(EndPoint endPoint, Executor executor) {
    this.endPoint = endPoint;
    this.drain = new Drain(endPoint, executor);
  }

  /**
   * Lets {@code http} accept a 101 for {@code Upgrade: tcp}. Jetty's default handler of the same
   * name accepts only websocket and h2c; this one accepts those too.
   */
  static void register(HttpClient http) {
    http.getProtocolHandlers()
        .put(
            new UpgradeProtocolHandler() {
              @Override
              protected boolean acceptHeaders(Request request, Response response) {
                return "tcp".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))
                    || super.acceptHeaders(request, response);
              }
            });
  }

  /**
   * Sends {@code request} as an upgrade. The future completes with the stream after a 101, with
   * null after a 409 (the process is no longer running: there is no stdin left to feed), and fails
   * with the daemon's message for any other answer.
   */
  static CompletableFuture<RawStream> open(Request request, Executor executor) {
    CompletableFuture<RawStream> done = new CompletableFuture<>();
    HttpUpgrader upgrader =
        new HttpUpgrader() {
          @Override
          public void prepare(Request r) {
            r.headers(
                h ->
                    h.put(HttpHeader.CONNECTION, HttpHeaderValue.UPGRADE.asString())
                        .put(HttpHeader.UPGRADE, "tcp"));
          }

          @Override
          public void upgrade(Response response, EndPoint endPoint, Callback callback) {
            RawStream s = new RawStream(endPoint, executor);
            endPoint.upgrade(s.drain);
            done.complete(s);
            callback.succeeded();
          }
        };
    HttpUpgrader.Factory factory = (HttpVersion v) -> upgrader;
    request
        .attribute(HttpUpgrader.Factory.class.getName(), factory)
        .send(
            new BufferingResponseListener() {
              @Override
              public void onComplete(Result result) {
                refused(result, getContentAsString(), done);
              }
            });
    return done;
  }

  /** Any answer but a 101 reaches the request's own listener (a 101 goes to the upgrader). */
  private static void refused(Result result, String body, CompletableFuture<RawStream> done) {
    if (result.isFailed()) {
      done.completeExceptionally(result.getFailure());
    } else if (result.getResponse().getStatus() == 409) {
      done.complete(null);
    } else {
      try {
        Client.check(new Client.Reply(result.getResponse().getStatus(), body));
        done.completeExceptionally(
            new CliException("attach: corrald answered " + result.getResponse().getStatus()));
      } catch (CliException e) {
        done.completeExceptionally(e);
      }
    }
  }

  /** Writes all of {@code b[0..n)}; fails once the daemon has closed the stream. */
  void write(byte[] b, int n) throws IOException {
    Callback.Completable written = new Callback.Completable();
    endPoint.write(written, ByteBuffer.wrap(b, 0, n));
    try {
      written.get();
    } catch (ExecutionException e) {
      throw new IOException("attach: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("attach: interrupted", e);
    }
  }

  /** Half-closes the connection: the daemon closes the process's stdin. */
  void closeInput() {
    endPoint.shutdownOutput();
  }

  @Override
  public void close() {
    endPoint.close();
  }

  /**
   * The upgraded connection's reader: reads and drops until the daemon closes (the process exited),
   * then closes the endpoint. Bytes Jetty read past the 101 ({@link #onUpgradeTo}) are dropped the
   * same way.
   */
  private static final class Drain extends AbstractConnection implements Connection.UpgradeTo {
    private final ByteBuffer buffer = BufferUtil.allocate(8192);

    Drain(EndPoint endPoint, Executor executor) {
      super(endPoint, executor);
    }

    @Override
    public void onUpgradeTo(ByteBuffer prefilled) {
      // output frames that came with the 101: the log carries them
    }

    @Override
    public void onOpen() {
      super.onOpen();
      fillInterested();
    }

    @Override
    public void onFillable() {
      try {
        for (int n; (n = getEndPoint().fill(buffer)) != 0; BufferUtil.clear(buffer)) {
          if (n < 0) {
            close();
            return;
          }
        }
        fillInterested();
      } catch (IOException e) {
        close();
      }
    }
  }
}
