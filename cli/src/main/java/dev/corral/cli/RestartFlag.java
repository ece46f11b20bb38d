package dev.corral.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Docker's {@code --restart} syntax: {@code no}, {@code always}, {@code unless-stopped}, {@code
 * on-failure} or {@code on-failure:N}, turned into the API's {@code restartPolicy} object. Only the
 * {@code :N} suffix is checked here; the daemon checks the name and the count and names the field.
 * Stateless.
 */
final class RestartFlag {
  private RestartFlag() {}

  static JsonObject policy(CommandSpec spec, String flag) {
    JsonObject o = new JsonObject();
    int colon = flag.indexOf(':');
    o.addProperty("name", colon < 0 ? flag : flag.substring(0, colon));
    if (colon >= 0) {
      String n = flag.substring(colon + 1);
      if (!n.matches("-?\\d{1,9}")) {
        throw new ParameterException(
            spec.commandLine(), "--restart: \"" + n + "\" after the colon is not a count");
      }
      o.addProperty("maximumRetryCount", Integer.parseInt(n));
    }
    return o;
  }
}
