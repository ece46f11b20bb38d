package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated request to create and start a container: bad input fails here, in the compact
 * constructor on the API thread, and never enters the ring. The container comes either from a
 * user's OCI bundle or from a bare root filesystem plus a process, for which the daemon generates
 * the spec. The bundle's or rootfs's contents are checked by the worker that prepares it (it needs
 * file I/O).
 *
 * @param bundle absolute path of the user's OCI bundle; null when {@code rootfs} is given
 * @param runtimeArgs extra global runc arguments
 * @param rootfs absolute path of a root filesystem; null when {@code bundle} is given
 * @param process the process to run in {@code rootfs}; required with it, refused without it
 * @param resources limits for the generated spec; {@link ResourceLimits#NONE} when not given
 * @param checkpoint absolute path of a checkpoint's image dir to restore from, or null
 * @param pod what the container is to a pod, or null (see {@link PodPart})
 */
public record CreateRequest(
    ContainerRef id,
    Path bundle,
    Map<String, String> labels,
    boolean stdin,
    boolean terminal,
    List<String> runtimeArgs,
    Path rootfs,
    ProcessRequest process,
    ResourceLimits resources,
    Path checkpoint,
    PodPart pod) {
  /** Labels per container: each is stored, listed and matched, so their size is bounded. */
  public static final int MAX_LABELS = 64;

  public static final int MAX_LABEL_KEY_BYTES = 128;
  public static final int MAX_LABEL_VALUE_BYTES = 4096;

  public CreateRequest {
    Objects.requireNonNull(id, "id");
    if (checkpoint != null && !checkpoint.isAbsolute()) {
      throw CorralException.invalidArgument("checkpoint: %s is not an absolute path", checkpoint);
    }
    checkSource(bundle, rootfs, process, resources);
    resources = resources == null ? ResourceLimits.NONE : resources;
    labels = Map.copyOf(labels == null ? Map.of() : labels);
    checkLabels(labels);
    runtimeArgs = List.copyOf(runtimeArgs == null ? List.of() : runtimeArgs);
    runtimeArgs.forEach(CreateRequest::checkRuntimeArg);
  }

  /** A container of no pod. */
  public CreateRequest(
      ContainerRef id,
      Path bundle,
      Map<String, String> labels,
      boolean stdin,
      boolean terminal,
      List<String> runtimeArgs,
      Path rootfs,
      ProcessRequest process,
      ResourceLimits resources,
      Path checkpoint) {
    this(
        id,
        bundle,
        labels,
        stdin,
        terminal,
        runtimeArgs,
        rootfs,
        process,
        resources,
        checkpoint,
        null);
  }

  /** This request with {@code pod} and its labels added ({@code extra} wins over the client's). */
  public CreateRequest inPod(PodPart pod, Map<String, String> extra) {
    Map<String, String> all = new java.util.LinkedHashMap<>(labels);
    all.putAll(extra);
    return new CreateRequest(
        id, bundle, all, stdin, terminal, runtimeArgs, rootfs, process, resources, checkpoint, pod);
  }

  /** A create that restores nothing. */
  public CreateRequest(
      ContainerRef id,
      Path bundle,
      Map<String, String> labels,
      boolean stdin,
      boolean terminal,
      List<String> runtimeArgs,
      Path rootfs,
      ProcessRequest process,
      ResourceLimits resources) {
    this(id, bundle, labels, stdin, terminal, runtimeArgs, rootfs, process, resources, null);
  }

  /** A container from the user's OCI bundle. */
  public CreateRequest(
      ContainerRef id,
      Path bundle,
      Map<String, String> labels,
      boolean stdin,
      boolean terminal,
      List<String> runtimeArgs) {
    this(id, bundle, labels, stdin, terminal, runtimeArgs, null, null, null, null);
  }

  /** Whether the daemon generates the spec (from {@code rootfs} and {@code process}). */
  public boolean generatesSpec() {
    return rootfs != null;
  }

  private static void checkSource(
      Path bundle, Path rootfs, ProcessRequest process, ResourceLimits res) {
    if (bundle != null && rootfs != null) {
      throw CorralException.invalidArgument("rootfs: give either bundle or rootfs, not both");
    }
    if (bundle != null) {
      if (!bundle.isAbsolute()) {
        throw CorralException.invalidArgument("bundle: %s is not an absolute path", bundle);
      }
      if (process != null || res != null) {
        throw CorralException.invalidArgument(
            "%s: only with rootfs; a bundle has its own config.json",
            process != null ? "process" : "resources");
      }
      return;
    }
    if (rootfs == null) {
      throw CorralException.invalidArgument("bundle: is required (or rootfs and process)");
    }
    if (!rootfs.isAbsolute()) {
      throw CorralException.invalidArgument("rootfs: %s is not an absolute path", rootfs);
    }
    if (process == null) {
      throw CorralException.invalidArgument("process: is required with rootfs");
    }
  }

  private static void checkLabels(Map<String, String> labels) {
    if (labels.size() > MAX_LABELS) {
      throw CorralException.invalidArgument(
          "labels: %d labels, at most %d are allowed", labels.size(), MAX_LABELS);
    }
    labels.forEach(CreateRequest::checkLabel);
  }

  private static void checkLabel(String key, String value) {
    if (utf8Length(key) > MAX_LABEL_KEY_BYTES) {
      throw CorralException.invalidArgument(
          "labels: key \"%s\" is longer than %d bytes", shorten(key), MAX_LABEL_KEY_BYTES);
    }
    if (key.isEmpty() || key.contains("=")) {
      throw CorralException.invalidArgument(
          "labels: key \"%s\" must be non-empty and have no '='", key);
    }
    if (utf8Length(value) > MAX_LABEL_VALUE_BYTES) {
      throw CorralException.invalidArgument(
          "labels: value of \"%s\" is longer than %d bytes", key, MAX_LABEL_VALUE_BYTES);
    }
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** An over-long key is named by its start: the error must not echo kilobytes back. */
  private static String shorten(String key) {
    return key.substring(0, key.offsetByCodePoints(0, 32)) + "...";
  }

  // Global runc flags only: anything else could redirect runc's --root out of the state dir.
  private static void checkRuntimeArg(String arg) {
    if (!arg.startsWith("--") || arg.startsWith("--root")) {
      throw CorralException.invalidArgument("runtimeArgs: \"%s\" is not an allowed runc flag", arg);
    }
  }
}
