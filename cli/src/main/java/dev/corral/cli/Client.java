package dev.corral.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * corrald's v1 API over its unix socket, through Jetty's HTTP client. Every failure becomes a
 * {@link CliException} carrying the daemon's own message, or "cannot connect to corrald at PATH"
 * when nothing answers on the socket. Every request, attach included, carries the {@code
 * Corral-Namespace} header when a namespace was chosen.
 *
 * <p>Thread-safe (it holds nothing but Jetty's thread-safe client): the command's thread calls it,
 * and so do an interactive session's stdin and resize threads; Jetty's threads only deliver
 * responses.
 */
final class Client implements AutoCloseable {
  /** A whole response: status and body. */
  record Reply(int status, String body) {
    JsonElement json() {
      return JsonParser.parseString(body);
    }
  }

  /** The request header that names the corral namespace; the daemon's default without it. */
  static final String NAMESPACE_HEADER = "Corral-Namespace";

  private final Path socket;
  private final String namespace; // null: no header
  private final HttpClient http;
  private final Transport transport;

  /** A client of {@code socket} whose every request names {@code namespace} (null: none). */
  Client(Path socket, String namespace) {
    this.socket = socket;
    this.namespace = namespace;
    QueuedThreadPool pool = new QueuedThreadPool(8, 1);
    pool.setName("corral-client");
    pool.setDaemon(true);
    http = new HttpClient();
    http.setExecutor(pool);
    http.setConnectTimeout(5_000);
    transport = new Transport.TCPUnix(socket);
    try {
      http.start();
      RawStream.register(http); // after start: start() puts Jetty's default handlers in
    } catch (Exception e) {
      throw new CliException("cannot start the HTTP client: " + e, e);
    }
  }

  /** Sends a request with an optional JSON body; a status of 400 or more throws. */
  Reply call(String method, String path, String json) {
    Request r = request(method, path);
    if (json != null) {
      r.body(new StringRequestContent("application/json", json));
    }
    ContentResponse resp = await(r::send, method + " " + path);
    return check(new Reply(resp.getStatus(), resp.getContentAsString()));
  }

  Reply get(String path) {
    return call("GET", path, null);
  }

  Reply post(String path, String json) {
    return call("POST", path, json);
  }

  Reply delete(String path) {
    return call("DELETE", path, null);
  }

  /** GETs an NDJSON stream and hands each non-blank line to {@code line} until it ends. */
  void stream(String path, Consumer<String> line) {
    streamWhile(
        path,
        l -> {
          line.accept(l);
          return true;
        });
  }

  /**
   * Like {@link #stream}, but stops (and closes the response) as soon as {@code line} answers
   * false.
   */
  void streamWhile(String path, Predicate<String> line) {
    InputStreamResponseListener listener = new InputStreamResponseListener();
    request("GET", path).send(listener);
    Response resp = await(() -> listener.get(30, TimeUnit.SECONDS), "GET " + path);
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
      if (resp.getStatus() >= 400) {
        check(new Reply(resp.getStatus(), in.lines().reduce("", String::concat)));
      }
      for (String l; (l = in.readLine()) != null; ) {
        if (!l.isBlank() && !line.test(l)) {
          return;
        }
      }
    } catch (java.io.IOException e) {
      throw new CliException("stream " + path + " broke: " + e.getMessage(), e);
    }
  }

  /**
   * Upgrades {@code POST path} to a raw stream (attach); null when the daemon answers 409 because
   * the process is no longer running.
   */
  RawStream attach(String path) {
    return await(
        () -> RawStream.open(request("POST", path), http.getExecutor()).get(30, TimeUnit.SECONDS),
        "POST " + path);
  }

  /** What a blocking Jetty call can throw, as the CLI reports it. */
  private interface Blocking<T> {
    T get() throws ExecutionException, TimeoutException, InterruptedException;
  }

  private <T> T await(Blocking<T> call, String what) {
    try {
      return call.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw cause instanceof CliException refused ? refused : unreachable(cause);
    } catch (TimeoutException e) {
      throw new CliException("corrald at " + socket + " did not answer " + what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  private Request request(String method, String path) {
    // No total timeout: wait and followed streams last as long as the container runs.
    Request r =
        http.newRequest("http://localhost" + path)
            .method(method)
            .transport(transport)
            .timeout(0, TimeUnit.SECONDS)
            .idleTimeout(0, TimeUnit.SECONDS);
    return namespace == null ? r : r.headers(h -> h.put(NAMESPACE_HEADER, namespace));
  }

  private CliException unreachable(Throwable cause) {
    return new CliException(
        "cannot connect to corrald at " + socket + " (" + reason(cause) + "); is it running?",
        cause);
  }

  /** The innermost cause's message: Jetty's own wrapper only repeats the path. */
  private static String reason(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  /** The daemon's {@code message} for an error status, else the body as it came. */
  static Reply check(Reply r) {
    if (r.status() < 400) {
      return r;
    }
    try {
      JsonElement e = JsonParser.parseString(r.body());
      if (e.isJsonObject() && e.getAsJsonObject().has("message")) {
        throw new CliException(e.getAsJsonObject().get("message").getAsString());
      }
    } catch (JsonParseException | IllegalStateException notJson) {
      // fall through: report the raw answer
    }
    throw new CliException("corrald answered " + r.status() + ": " + r.body().strip());
  }

  @Override
  public void close() {
    try {
      http.stop();
    } catch (Exception e) {
      // exiting anyway; nothing useful to do with a failure to stop
    }
  }
}
