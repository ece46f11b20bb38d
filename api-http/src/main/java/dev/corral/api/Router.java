package dev.corral.api;

import dev.corral.core.CorralException;
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

  private record Entry(String method, UriTemplatePathSpec spec, Route route) {}

  private final List<Entry> entries = new ArrayList<>();

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
        run(e, new Exchange(request, response, callback, e.spec.getPathParams(path)));
        return true;
      }
    }
    Exchange x = new Exchange(request, response, callback, Map.of());
    x.error(
        pathKnown
            ? CorralException.notImplemented(
                "%s %s: method not supported", request.getMethod(), path)
            : CorralException.notFound("%s: no such route", path));
    return true;
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
