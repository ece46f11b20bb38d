package dev.corral.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code corral run}: creates and starts a container, then (unless {@code -d}) streams its output
 * from the daemon's log until it exits and exits with its exit code; {@code --rm} deletes it then.
 *
 * <p>Runs on the main thread.
 */
@Command(
    name = "run",
    description = "Create and start a container; stream its output and exit with its code.",
    sortOptions = false)
final class RunCommand extends ApiCommand {
  /** corral's own failure, as docker does: distinct from any code a container is likely to use. */
  static final int FAILED = 125;

  @Mixin CreateOptions create;

  @Option(
      names = {"-d", "--detach"},
      description = "Print the id and return once it runs.")
  boolean detach;

  @Option(names = "--rm", description = "Delete the container after it exits.")
  boolean remove;

  @Override
  int run(Client c) {
    if (detach && remove) {
      throw new ParameterException(
          spec.commandLine(), "--rm needs the foreground: it cannot be combined with -d");
    }
    String body = create.body(spec);
    c.post("/v1/containers", body);
    String id = create.id;
    if (detach) {
      out().println(id);
      return 0;
    }
    LogsCommand.follow(c, id, "?follow=1", out(), err());
    JsonObject exit = c.post("/v1/containers/" + id + "/wait", null).json().getAsJsonObject();
    if (remove) {
      c.delete("/v1/containers/" + id);
    }
    return exit.get("exitCode").getAsInt();
  }
}
