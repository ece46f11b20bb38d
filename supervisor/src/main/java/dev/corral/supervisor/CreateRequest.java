package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated request to create and start a container: bad input fails here, in the compact
 * constructor on the API thread, and never enters the ring. The bundle's contents are checked by
 * the worker that prepares it (it needs file I/O).
 *
 * @param bundle absolute path of the user's OCI bundle
 * @param runtimeArgs extra global runc arguments
 * @param checkpoint absolute path of a checkpoint's image dir to restore from, or null
 */
public record CreateRequest(
    String id,
    Path bundle,
    Map<String, String> labels,
    boolean stdin,
    boolean terminal,
    List<String> runtimeArgs,
    Path checkpoint) {
  /** A create that restores nothing. */
  public CreateRequest(
      String id,
      Path bundle,
      Map<String, String> labels,
      boolean stdin,
      boolean terminal,
      List<String> runtimeArgs) {
    this(id, bundle, labels, stdin, terminal, runtimeArgs, null);
  }

  public CreateRequest {
    if (checkpoint != null && !checkpoint.isAbsolute()) {
      throw CorralException.invalidArgument("checkpoint: %s is not an absolute path", checkpoint);
    }
    Ids.require("id", id);
    if (bundle == null) {
      throw CorralException.invalidArgument("bundle: is required");
    }
    if (!bundle.isAbsolute()) {
      throw CorralException.invalidArgument("bundle: %s is not an absolute path", bundle);
    }
    labels = Map.copyOf(labels == null ? Map.of() : labels);
    labels.keySet().forEach(CreateRequest::checkLabelKey);
    runtimeArgs = List.copyOf(runtimeArgs == null ? List.of() : runtimeArgs);
    runtimeArgs.forEach(CreateRequest::checkRuntimeArg);
  }

  private static void checkLabelKey(String key) {
    if (key.isEmpty() || key.contains("=")) {
      throw CorralException.invalidArgument(
          "labels: key \"%s\" must be non-empty and have no '='", key);
    }
  }

  // Global runc flags only: anything else could redirect runc's --root out of the state dir.
  private static void checkRuntimeArg(String arg) {
    if (!arg.startsWith("--") || arg.startsWith("--root")) {
      throw CorralException.invalidArgument("runtimeArgs: \"%s\" is not an allowed runc flag", arg);
    }
  }
}
