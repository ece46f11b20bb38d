package dev.corral.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code corral exec}: starts a process in a running container, then (unless {@code -d}) streams
 * its output from the exec's own conmon log until it exits, and exits with its exit code. The log
 * holds the output from the first byte, so nothing is lost to a late start (attach would only see
 * what comes after it connects). {@code -i} and {@code -t} add stdin and a pty ({@link Session}).
 * With {@code -d} it prints the exec id.
 *
 * <p>Runs on the main thread.
 */
@Command(
    name = "exec",
    description = "Run a process in a running container; stream its output, exit with its code.",
    sortOptions = false)
final class ExecCommand extends ApiCommand {
  @Option(
      names = {"-d", "--detach"},
      description = "Print the exec id and return once the process runs.")
  boolean detach;

  @Mixin StdioFlags stdio = new StdioFlags();

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY=VALUE",
      description = "Environment variable (repeatable; overrides the container's by name).")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-w", "--cwd", "--workdir"},
      paramLabel = "DIR",
      description = "Working directory (default: the container's).")
  String cwd;

  @Option(
      names = {"-u", "--user"},
      paramLabel = "UID[:GID]",
      description = "Numeric user and group (default: the container's).")
  String user;

  @Option(
      names = "--id",
      paramLabel = "EXECID",
      description = "The exec's id (default: exec- and random hex).")
  String execId;

  @Parameters(index = "0", paramLabel = "ID", description = "Container id.")
  String id;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "CMD",
      description =
          "Command and its arguments: everything after ID (exec c1 ls -la); a -- before CMD is"
              + " allowed.")
  List<String> command = new ArrayList<>();

  @Override
  int run(Client c) {
    String path = "/v1/containers/" + id(id) + "/processes";
    JsonObject body = body(execId == null ? newExecId() : execId);
    String exec = body.get("id").getAsString();
    c.post(path, body.toString());
    if (detach) {
      out().println(exec);
      return 0;
    }
    JsonObject exit =
        Session.around(
            c,
            id,
            exec,
            stdio,
            err(),
            () -> {
              LogsCommand.follow(c, id(id), "?follow=1&pid=" + exec, out(), err());
              return c.post(path + "/" + exec + "/wait", null).json().getAsJsonObject();
            });
    return exit.get("exitCode").getAsInt();
  }

  /** The process request; fields not given are left to the container's process. */
  JsonObject body(String exec) {
    JsonObject o = new JsonObject();
    o.addProperty("id", id(exec));
    JsonArray args = new JsonArray();
    command().forEach(args::add);
    o.add("args", args);
    stdio.addTo(o);
    if (stdio.tty) {
      // The pty starts at the terminal's size, so even a process that reads it at once sees it.
      Terminal.Size size = Terminal.sizeOfStdin();
      if (size != null) {
        JsonObject s = new JsonObject();
        s.addProperty("height", size.rows());
        s.addProperty("width", size.cols());
        o.add("consoleSize", s);
      }
    }
    if (!env.isEmpty()) {
      JsonArray e = new JsonArray();
      env.forEach(e::add);
      o.add("env", e);
    }
    if (cwd != null) {
      o.addProperty("cwd", cwd);
    }
    if (user != null) {
      o.add("user", user(user));
    }
    return o;
  }

  /**
   * The command without the {@code --} that may come before it: parsing stops at ID ({@link
   * Main#stopsAtTheCommand}), so picocli hands that {@code --} on as an argument.
   */
  List<String> command() {
    boolean dashes = !command.isEmpty() && command.get(0).equals("--");
    List<String> cmd = dashes ? command.subList(1, command.size()) : command;
    if (cmd.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "Missing required parameter: 'CMD'");
    }
    return cmd;
  }

  /** {@code UID} or {@code UID:GID}, numbers only (the daemon resolves no names). */
  static JsonObject user(String spec) {
    if (!spec.matches("\\d{1,10}(:\\d{1,10})?")) {
      throw new CliException("--user: '" + spec + "' is not UID or UID:GID (numbers)");
    }
    String[] parts = spec.split(":");
    JsonObject u = new JsonObject();
    u.addProperty("uid", Long.parseLong(parts[0]));
    u.addProperty("gid", parts.length > 1 ? Long.parseLong(parts[1]) : 0);
    return u;
  }

  static String newExecId() {
    byte[] b = new byte[6];
    new SecureRandom().nextBytes(b);
    return "exec-" + HexFormat.of().formatHex(b);
  }
}
