package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  private record Entry(String method, UriTemplatePathSpec spec, Route route) {
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

  Router add(String method, String template, Route route) {
    entries.add(new Entry(method, new UriTemplatePathSpec(template), route));
    return this;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    boolean pathKnown = false;
    for (Entry e : entries) {
      if (!e.spec.matches(path)) {
        continue;
      }
      pathKnown = true;
      if (e.method.equals(request.getMethod())) {
        Callback counted = counted(e.label(), response, callback);
        run(e, new Exchange(request, response, counted, e.spec.getPathParams(path)));
        return true;
      }
    }
    Exchange x =
        new Exchange(request, response, counted("unmatched", response, callback), Map.of());
    x.error(
        pathKnown
            ? CorralException.notImplemented(
                "%s %s: method not supported", request.getMethod(), path)
            : CorralException.notFound("%s: no such route", path));
    return true;
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
      e.route.handle(x);
    } catch (CorralException ex) {
      x.error(ex);
    } catch (Exception ex) {
      x.error(
          CorralException.wrap(ex, x.request.getMethod() + " " + x.request.getHttpURI().getPath()));
    }
  }
}
