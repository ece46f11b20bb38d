package dev.corral.api;

import dev.corral.core.CorralException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The errors Jetty answers by itself (an ambiguous or malformed URI, a bad request line, headers
 * too large, an exception that escaped a handler) in corral's one error shape, {@code {"message",
 * "code"}}, instead of Jetty's HTML page; the code is the kind of the status ({@link
 * HttpErrors#kind}), the status stays Jetty's.
 *
 * <p>Stateless; Jetty's threads call it concurrently.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

  /** Every method gets a body, not only GET and POST (a HEAD's is dropped by Jetty). */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    if (code >= 500) {
      log.error("{} {}: {}", request.getMethod(), request.getHttpURI().getPath(), message, cause);
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    Content.Sink.write(response, true, body(code, message, cause), callback);
  }

  static String body(int status, String message, Throwable cause) {
    String text = message == null ? HttpStatus.getMessage(status) : message;
    return Json.error(new CorralException(HttpErrors.kind(status), "request: " + text, cause))
        + "\n";
  }
}
