package dev.corral.daemon;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.supervisor.thread.Reply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Transport;

/** A test client for corrald's API over its unix socket (Jetty's HTTP client). */
final class Api implements AutoCloseable {
  /** A response: status and body, with the body parsed as JSON on demand. */
  record Reply(int status, String body, org.eclipse.jetty.http.HttpFields headers) {
    Reply(int status, String body) {
      this(status, body, org.eclipse.jetty.http.HttpFields.EMPTY);
    }

    /** A response header's value, or null. */
    String header(String name) {
      return headers.get(name);
    }

    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }

    JsonElement any() {
      return JsonParser.parseString(body);
    }

    String code() {
      return json().get("code").getAsString();
    }

    String message() {
      return json().get("message").getAsString();
    }
  }

  private final HttpClient http = new HttpClient();
  private final Transport transport;

  Api(Path socket) throws Exception {
    transport = new Transport.TCPUnix(socket);
    http.start();
  }

  Request request(String method, String path) {
    return http.newRequest("http://localhost" + path)
        .method(method)
        .transport(transport)
        .timeout(90, TimeUnit.SECONDS);
  }

  Reply call(String method, String path, String jsonBody) throws Exception {
    Request r = request(method, path);
    if (jsonBody != null) {
      r.body(new StringRequestContent("application/json", jsonBody));
    }
    ContentResponse resp = r.send();
    return new Reply(resp.getStatus(), resp.getContentAsString(), resp.getHeaders());
  }

  /**
   * As {@link #call(String, String, String)}, in namespace {@code ns} (the Corral-Namespace
   * header).
   */
  Reply call(String method, String path, String jsonBody, String ns) throws Exception {
    Request r = request(method, path).headers(h -> h.put("Corral-Namespace", ns));
    if (jsonBody != null) {
      r.body(new StringRequestContent("application/json", jsonBody));
    }
    ContentResponse resp = r.send();
    return new Reply(resp.getStatus(), resp.getContentAsString(), resp.getHeaders());
  }

  Reply get(String path) throws Exception {
    return call("GET", path, null);
  }

  Reply post(String path, String body) throws Exception {
    return call("POST", path, body);
  }

  Reply delete(String path) throws Exception {
    return call("DELETE", path, null);
  }

  /** Opens an event stream; its lines arrive in the returned queue until the stream ends. */
  EventStream events(String query) throws Exception {
    return events(query, null);
  }

  /** As {@link #events(String)}, sending the Corral-Namespace header {@code ns} unless null. */
  EventStream events(String query, String ns) throws Exception {
    InputStreamResponseListener listener = new InputStreamResponseListener();
    Request r = request("GET", "/v1/events" + query);
    if (ns != null) {
      r.headers(h -> h.put("Corral-Namespace", ns));
    }
    r.timeout(0, TimeUnit.SECONDS).idleTimeout(0, TimeUnit.SECONDS).send(listener);
    Response resp = listener.get(30, TimeUnit.SECONDS);
    EventStream s = new EventStream(resp.getStatus(), listener);
    Thread t = new Thread(s::pump, "test-events");
    t.setDaemon(true);
    t.start();
    return s;
  }

  /** The lines of one event stream, read by a background thread. */
  static final class EventStream implements AutoCloseable {
    final int status;
    final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();

    /** Every line received so far, whether or not {@link #next} took it. */
    final List<JsonObject> received = new CopyOnWriteArrayList<>();

    private final InputStreamResponseListener listener;

    EventStream(int status, InputStreamResponseListener listener) {
      this.status = status;
      this.listener = listener;
    }

    private void pump() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (!line.isBlank()) {
            JsonObject e = JsonParser.parseString(line).getAsJsonObject();
            received.add(e);
            events.add(e);
          }
        }
      } catch (Exception e) {
        // stream closed by the test or the daemon
      }
    }

    /**
     * The next event of {@code type} for container {@code id}, skipping others; fails after 60 s.
     */
    JsonObject next(String type, String id) throws InterruptedException {
      return next(type, id, null);
    }

    /**
     * The next event of {@code type} for container {@code id} of namespace {@code ns} (any when
     * null), skipping others; fails after 60 s.
     */
    JsonObject next(String type, String id, String ns) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        JsonObject e = events.poll(1, TimeUnit.SECONDS);
        if (e != null
            && e.get("type").getAsString().equals(type)
            && (id == null || (e.has("id") && e.get("id").getAsString().equals(id)))
            && (ns == null
                || (e.has("namespace") && e.get("namespace").getAsString().equals(ns)))) {
          return e;
        }
      }
      throw new AssertionError(
          "no " + type + " event for " + (ns == null ? "" : ns + "/") + id + " within 60 s");
    }

    @Override
    public void close() throws java.io.IOException {
      listener.close();
    }
  }

  @Override
  public void close() {
    try {
      http.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the test client", e);
    }
  }
}
