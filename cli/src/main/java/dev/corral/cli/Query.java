package dev.corral.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A URL query built from optional parameters; absent values are left out. {@link #toString} gives
 * {@code ""} or {@code "?a=1&b=2"}.
 *
 * <p>Not thread-safe; built and used by one thread.
 */
final class Query {
  private final StringBuilder sb = new StringBuilder(); // owning thread

  Query add(String name, String value) {
    if (value != null) {
      sb.append(sb.length() == 0 ? '?' : '&')
          .append(name)
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
    return this;
  }

  Query flag(String name, boolean on) {
    return on ? add(name, "1") : this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
