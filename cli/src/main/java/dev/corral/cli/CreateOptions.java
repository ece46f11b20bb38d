package dev.corral.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * The options {@code run} and {@code create} share, and the {@code POST /v1/containers} body they
 * make: a bundle as it is, or a root filesystem with a command, environment and limits for which
 * the daemon generates the OCI spec. Parsing stops at the first positional ({@link
 * Main#stopsAtTheCommand}), so the command's own options stay the command's. With {@code --pod UID}
 * the body also names the pod and the container's name in it ({@code --name}, then required), and
 * the daemon joins the container to the pod's sandbox.
 *
 * <p>Filled by picocli on the main thread; one instance per invocation.
 */
final class CreateOptions {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Exactly one source of the container. */
  static final class Source {
    @Option(
        names = "--rootfs",
        paramLabel = "DIR",
        required = true,
        description = "Root filesystem; corrald generates the OCI spec (needs CMD).")
    Path rootfs;

    @Option(
        names = "--bundle",
        paramLabel = "DIR",
        required = true,
        description = "An OCI bundle (DIR/config.json); CMD must not be given.")
    Path bundle;
  }

  // A heading keeps picocli from listing the group's options twice in the help.
  @ArgGroup(multiplicity = "1", heading = "%nWhat to run (one of):%n")
  Source source;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY=VALUE",
      description = "Environment variable (repeatable).")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "Label (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Mixin ResourceFlags limits;

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "DIR",
      description = "Working directory in the container (default: /).")
  String cwd;

  @Option(
      names = "--restart",
      paramLabel = "POLICY",
      description = "Restart policy: no, always, on-failure[:N] or unless-stopped (default: no).")
  String restart;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "The container's id (default: 12 random hex digits; -d and create print it);"
              + " with --pod, its name in the pod, and the id is made up.")
  String name;

  @Option(
      names = "--pod",
      paramLabel = "UID",
      description = "Join this pod's sandbox (needs --name: the container's name in the pod).")
  String pod;

  @Parameters(
      index = "0..*",
      paramLabel = "CMD",
      description =
          "Command and its arguments, with --rootfs. Everything from CMD on belongs to it"
              + " (corral run --rootfs R ls -la); a -- before CMD is allowed.")
  List<String> command = new ArrayList<>();

  private String generated; // main thread: the id made up once when --name was not given

  /**
   * The container's id: {@code --name}, else a random one made once per invocation. In a pod the
   * name is the container's name there, unique only within the pod, so the id is always made up.
   */
  String id() {
    if (name != null && pod == null) {
      return name;
    }
    if (generated == null) {
      generated = newId();
    }
    return generated;
  }

  /** Like docker's short ids: 12 hex digits (48 random bits). */
  static String newId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The request body; usage errors for combinations picocli cannot express. */
  String body(CommandSpec spec) {
    return json(spec).toString();
  }

  /** {@link #body} as JSON, for a command that adds to it. */
  JsonObject json(CommandSpec spec) {
    JsonObject o = new JsonObject();
    o.addProperty("id", ApiCommand.id(id()));
    if (pod != null) {
      o.addProperty("pod", inPod(spec));
      o.addProperty("name", name);
    }
    if (source.bundle != null) {
      refuseWithBundle(spec);
      o.addProperty("bundle", source.bundle.toAbsolutePath().toString());
    } else {
      if (command.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "CMD is required with --rootfs");
      }
      o.addProperty("rootfs", source.rootfs.toAbsolutePath().toString());
      o.add("process", process());
      o.add("resources", resources());
    }
    JsonObject l = new JsonObject();
    labels.forEach(l::addProperty);
    o.add("labels", l);
    if (restart != null) {
      o.add("restartPolicy", RestartFlag.policy(spec, restart));
    }
    return o;
  }

  /** The pod's uid, once {@code --pod} and {@code --name} are both valid. */
  private String inPod(CommandSpec spec) {
    if (name == null) {
      throw new ParameterException(
          spec.commandLine(), "--pod needs --name: the container's name in the pod");
    }
    ApiCommand.idOption(spec, "--name", name);
    return ApiCommand.idOption(spec, "--pod", pod);
  }

  private void refuseWithBundle(CommandSpec spec) {
    if (!command.isEmpty() || !env.isEmpty() || limits.any() || cwd != null) {
      throw new ParameterException(
          spec.commandLine(),
          "CMD, --env, resource limits and --workdir need --rootfs; "
              + "a bundle has its own config.json");
    }
  }

  private JsonObject process() {
    JsonObject p = new JsonObject();
    p.add("args", strings(command));
    p.add("env", strings(env));
    if (cwd != null) {
      p.addProperty("cwd", cwd);
    }
    return p;
  }

  private JsonObject resources() {
    return limits.nested();
  }

  private static JsonArray strings(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
