package dev.corral.api;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * One Jetty exchange as the Prometheus client's scrape handler sees it: the thin HTTP adapter
 * between Jetty 12's core API and {@code PrometheusScrapeHandler}, which does the rest (format
 * negotiation from {@code Accept}, gzip from {@code Accept-Encoding}, {@code name[]} filters,
 * HEAD).
 *
 * <p>Used by one request's thread; closing it completes the Jetty exchange.
 */
final class ScrapeExchange implements PrometheusHttpExchange {
  private final Exchange x;
  private OutputStream body; // request thread: set once the headers are sent
  private boolean closed; // request thread: the exchange was completed

  ScrapeExchange(Exchange x) {
    this.x = x;
  }

  @Override
  public PrometheusHttpRequest getRequest() {
    return new PrometheusHttpRequest() {
      @Override
      public String getQueryString() {
        return x.request.getHttpURI().getQuery();
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(x.request.getHeaders().getValuesList(name));
      }

      @Override
      public String getMethod() {
        return x.request.getMethod();
      }

      @Override
      public String getRequestPath() {
        return Request.getPathInContext(x.request);
      }
    };
  }

  @Override
  public PrometheusHttpResponse getResponse() {
    return new PrometheusHttpResponse() {
      @Override
      public void setHeader(String name, String value) {
        x.response.getHeaders().put(name, value);
      }

      @Override
      public OutputStream sendHeadersAndGetBody(int status, int contentLength) {
        x.response.setStatus(status);
        if (contentLength > 0) {
          x.response.getHeaders().put("Content-Length", Integer.toString(contentLength));
        }
        body = Content.Sink.asOutputStream(x.response);
        return body;
      }
    };
  }

  /** A failed scrape: an error answer if nothing was sent yet, else the exchange fails. */
  @Override
  public void handleException(IOException e) {
    fail(e);
  }

  @Override
  public void handleException(RuntimeException e) {
    fail(e);
  }

  private void fail(Exception e) {
    if (closed) {
      return;
    }
    closed = true;
    if (body == null && !x.response.isCommitted()) {
      x.error(dev.corral.core.CorralException.wrap(e, "GET /metrics"));
    } else {
      x.callback.failed(e);
    }
  }

  /** Ends the response: the body's last write, then Jetty's callback. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (body != null) {
        body.close();
      }
      x.callback.succeeded();
    } catch (IOException e) {
      x.callback.failed(e);
    }
  }
}
