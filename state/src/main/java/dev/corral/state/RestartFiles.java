package dev.corral.state;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The two restart files of a container directory, beside {@code container.json}:
 *
 * <ul>
 *   <li>{@code restart.json} ({@link RestartRecord}): the policy and its counters;
 *   <li>{@code restarting.json} ({@link StatusRecord} of the exit being restarted from): written
 *       before a restart deletes anything of the previous run, removed once the new run has
 *       started. A daemon that finds it knows the restart was cut short: what the new run left is
 *       killed and the container is the stopped one the marker describes.
 * </ul>
 *
 * <p>Stateless; thread-safe for distinct containers (the supervisor serializes each container's
 * writes: restart.json on its status writer, the marker on the one worker restarting it).
 */
public final class RestartFiles {
  private static final Gson GSON = new Gson();

  private RestartFiles() {}

  public static Path record(ContainerPaths p) {
    return p.dir().resolve("restart.json");
  }

  public static Path marker(ContainerPaths p) {
    return p.dir().resolve("restarting.json");
  }

  public static void write(ContainerPaths p, RestartRecord r) throws IOException {
    AtomicFiles.write(record(p), GSON.toJson(r).getBytes(StandardCharsets.UTF_8));
  }

  /** The record, or empty when none was written (the policy {@code no}). */
  public static Optional<RestartRecord> read(ContainerPaths p) throws IOException {
    return read(record(p), RestartRecord.class);
  }

  /** Marks a restart as begun; {@code exited} is the stopped status it restarts from. */
  public static void begin(ContainerPaths p, StatusRecord exited) throws IOException {
    AtomicFiles.write(marker(p), GSON.toJson(exited).getBytes(StandardCharsets.UTF_8));
  }

  /** The stopped status an unfinished restart started from, or empty when none is in flight. */
  public static Optional<StatusRecord> interrupted(ContainerPaths p) throws IOException {
    return read(marker(p), StatusRecord.class);
  }

  /** The new run has started (or the restart was rolled back): the marker goes. */
  public static void end(ContainerPaths p) throws IOException {
    if (Files.deleteIfExists(marker(p))) {
      AtomicFiles.fsyncDir(p.dir());
    }
  }

  private static <T> Optional<T> read(Path file, Class<T> type) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      T value = GSON.fromJson(Files.readString(file), type);
      if (value == null) {
        throw new IOException(file + ": empty");
      }
      return Optional.of(value);
    } catch (RuntimeException e) {
      // Gson runs the record's checking constructor and wraps what it throws in a plain
      // RuntimeException: a bad value is a damaged file like malformed JSON is.
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
