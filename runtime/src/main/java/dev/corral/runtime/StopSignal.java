package dev.corral.runtime;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.core.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signal that asks a container to stop: the spec's {@code org.opencontainers.image.stopSignal}
 * annotation (an image's {@code STOPSIGNAL}), else TERM. Stateless.
 */
public final class StopSignal {
  private static final Logger log = LoggerFactory.getLogger(StopSignal.class);
  public static final String ANNOTATION = "org.opencontainers.image.stopSignal";
  private static final int SIGTERM = 15;

  private StopSignal() {}

  /** The stop signal of the bundle dir {@code bundle}; TERM when absent or unusable (logged). */
  public static int of(Path bundle) {
    Path config = bundle.resolve("config.json");
    try {
      JsonObject spec = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
      JsonElement a = spec.get("annotations");
      JsonElement s = a == null || !a.isJsonObject() ? null : a.getAsJsonObject().get(ANNOTATION);
      return s == null ? SIGTERM : Signals.parse(ANNOTATION, s.getAsString());
    } catch (IOException | RuntimeException e) {
      log.warn("{}: no usable stop signal, using TERM: {}", config, e.getMessage());
      return SIGTERM;
    }
  }
}
