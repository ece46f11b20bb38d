package dev.corral.api;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.core.Namespaces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP exchange as the routes see it: path parameters, query, a bounded body, and the ways to
 * answer (JSON, no content, an error). Answering completes Jetty's callback.
 *
 * <p>Used by one request's threads in turn (Jetty's, then a reply callback's); not shared.
 */
final class Exchange {
  private static final Logger log = LoggerFactory.getLogger(Exchange.class);
  static final int MAX_BODY = 1 << 20;

  final Request request;
  final Response response;
  final Callback callback;
  final Map<String, String> pathParams;
  private Fields query; // lazily parsed; request thread

  Exchange(Request request, Response response, Callback callback, Map<String, String> pathParams) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.pathParams = pathParams;
  }

  String path(String name) {
    return pathParams.get(name);
  }

  /**
   * The namespace the request names: the {@code Corral-Namespace} header, else the {@code
   * namespace} query parameter, else {@code default}; 400 naming the one that is not a valid name.
   */
  String namespace() {
    String header = request.getHeaders().get(Namespaces.HEADER);
    if (header != null) {
      return Namespaces.require(Namespaces.HEADER, header);
    }
    String q = query().getValue("namespace");
    return q == null ? Namespaces.DEFAULT : Namespaces.require("namespace", q);
  }

  /** The container the path's {@code id} names, in the request's namespace. */
  ContainerRef container() {
    return new ContainerRef(namespace(), Ids.require("id", path("id")));
  }

  Fields query() {
    if (query == null) {
      try {
        query = Request.extractQueryParameters(request);
      } catch (RuntimeException malformed) { // Jetty's decoder: IllegalArgumentException and kin
        throw CorralException.invalidArgument("query: %s", malformed.getMessage());
      }
    }
    return query;
  }

  /** Refuses a query parameter the route does not take, so a typo never silently does nothing. */
  void onlyQuery(java.util.Set<String> allowed) {
    for (String name : query().getNames()) {
      if (!allowed.contains(name)) {
        throw CorralException.invalidArgument("%s: unknown query parameter", name);
      }
    }
  }

  /** A query flag: present as 1/true means true; 0/false/absent false; anything else 400. */
  boolean flag(String name) {
    String v = query().getValue(name);
    if (v == null || v.equals("0") || v.equals("false")) {
      return false;
    }
    if (v.isEmpty() || v.equals("1") || v.equals("true")) {
      return true;
    }
    throw CorralException.invalidArgument("%s: must be 1 or 0", name);
  }

  /** Reads the body, refusing more than 1 MiB (by Content-Length, or while reading). */
  String body() {
    long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (declared > MAX_BODY) {
      throw tooLarge();
    }
    try (InputStream in = Request.asInputStream(request)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        if (out.size() > MAX_BODY) {
          throw tooLarge();
        }
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CorralException.invalidArgument("body: could not be read: %s", e.getMessage());
    }
  }

  private static CorralException tooLarge() {
    return CorralException.payloadTooLarge("body: larger than %d bytes", MAX_BODY);
  }

  /** Whether this is a HEAD request (answered by the GET route; Jetty drops the body). */
  boolean head() {
    return "HEAD".equals(request.getMethod());
  }

  /** What a stream writes, blocking on the request's thread. */
  interface StreamBody {
    void write(OutputStream out) throws IOException, InterruptedException;
  }

  /**
   * Writes a blocking stream and completes the exchange exactly once: the stream is closed (its
   * last chunk written) before success is reported; a failed write fails the exchange instead.
   */
  void stream(StreamBody body) {
    OutputStream out = Content.Sink.asOutputStream(response);
    try {
      body.write(out);
      out.close();
    } catch (IOException e) {
      callback.failed(e); // the client went away
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
      return;
    }
    callback.succeeded();
  }

  void json(int status, Object value) {
    send(status, "application/json", Json.GSON.toJson(value) + "\n");
  }

  void noContent() {
    response.setStatus(204);
    callback.succeeded();
  }

  /** 304: what the client has is still current (a long poll that timed out). */
  void notModified() {
    response.setStatus(304);
    callback.succeeded();
  }

  void bytes(int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.write(true, java.nio.ByteBuffer.wrap(body), callback);
  }

  void text(int status, String text) {
    send(status, "text/plain; charset=utf-8", text);
  }

  void error(CorralException e) {
    int status = HttpErrors.status(e.kind());
    if (status == 500) {
      log.error(
          "{} {}: {}", request.getMethod(), request.getHttpURI().getPath(), e.getMessage(), e);
    }
    if (status == 503) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    }
    if (status == 413) {
      // The rest of the body was never read: the connection cannot carry another request.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    send(status, "application/json", Json.error(e) + "\n");
  }

  private void send(int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    Content.Sink.write(response, true, body, callback);
  }
}
