package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Matches method + path template ({@code /v1/containers/{id}}) to a route, using Jetty's own URI
 * templates. Any exception a route throws on the request thread becomes an error answer.
 *
 * <p>Routes are added before the server starts; then read-only and thread-safe.
 */
final class Router extends Handler.Abstract {
  /** A route's code; it answers through the exchange, now or later. */
  interface Route {
    void handle(Exchange x) throws Exception;
  }

  /** A route, with the query parameters it takes: any other is a 400 naming it. */
  private record Entry(String method, UriTemplatePathSpec spec, Route route, Set<String> query) {
    /** The route's label in corral_api_requests_total: method and template. */
    String label() {
      return method + " " + spec.getDeclaration();
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private final MetricCatalog metrics;

  Router(MetricCatalog metrics) {
    this.metrics = metrics;
  }

  /**
   * Routes {@code method template} to {@code route}, which takes the {@code query} parameters. A
   * route under {@code /v1/containers} also takes {@code namespace}, the query form of the {@code
   * Corral-Namespace} header.
   */
  Router add(String method, String template, Route route, String... query) {
    Set<String> q = new TreeSet<>(List.of(query));
    if (template.startsWith("/v1/containers")) {
      q.add("namespace");
    }
    entries.add(new Entry(method, new UriTemplatePathSpec(template), route, Set.copyOf(q)));
    return this;
  }

  /**
   * Runs the route of the request's method and path. HEAD runs the GET route (Jetty sends its
   * headers and drops the body, RFC 9110 9.3.2); a known path with another method is 405 with
   * {@code Allow}; an unknown path 404.
   */
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod().equals("HEAD") ? "GET" : request.getMethod();
    Set<String> allowed = new TreeSet<>();
    for (Entry e : entries) {
      if (!e.spec.matches(path)) {
        continue;
      }
      if (e.method.equals(method)) {
        Callback counted = counted(e.label(), response, callback);
        run(e, new Exchange(request, response, counted, e.spec.getPathParams(path)));
        return true;
      }
      allowed.add(e.method);
    }
    Exchange x =
        new Exchange(request, response, counted("unmatched", response, callback), Map.of());
    if (allowed.isEmpty()) {
      x.error(CorralException.notFound("%s: no such route", path));
      return true;
    }
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
    x.error(
        CorralException.methodNotAllowed(
            "%s %s: method not allowed (allowed: %s)",
            request.getMethod(), path, String.join(", ", allowed)));
    return true;
  }

  /** Every method and template routed, for the API document's test. */
  List<String> routes() {
    return entries.stream().map(Entry::label).toList();
  }

  /** The query parameters each route takes, by its label, for the API document's test. */
  Map<String, Set<String>> queries() {
    Map<String, Set<String>> out = new java.util.TreeMap<>();
    entries.forEach(e -> out.put(e.label(), e.query));
    return out;
  }

  /** Counts the request by route and final status when its answer completes, streams included. */
  private Callback counted(String route, Response response, Callback callback) {
    return new Callback() {
      @Override
      public void succeeded() {
        metrics.apiRequest(route, response.getStatus());
        callback.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        metrics.apiRequest(route, response.getStatus());
        callback.failed(x);
      }

      @Override
      public InvocationType getInvocationType() {
        return callback.getInvocationType();
      }
    };
  }

  private static void run(Entry e, Exchange x) {
    try {
      x.onlyQuery(e.query);
      e.route.handle(x);
    } catch (CorralException ex) {
      x.error(ex);
    } catch (Exception ex) {
      x.error(
          CorralException.wrap(ex, x.request.getMethod() + " " + x.request.getHttpURI().getPath()));
    }
  }
}
