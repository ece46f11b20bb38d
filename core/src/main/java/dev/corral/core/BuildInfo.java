package dev.corral.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build, the one string that {@code corrald --version}, {@code corral version},
 * {@code GET /v1/version} and {@code corral_build_info} all show. Maven writes it into {@code
 * version.properties} when it builds core.
 *
 * <p>Immutable; read once.
 */
public final class BuildInfo {
  private static final String VERSION = load();

  private BuildInfo() {}

  /** The project's version, such as {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from corral-core");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("reading corral-core's version.properties", e);
    }
  }
}
