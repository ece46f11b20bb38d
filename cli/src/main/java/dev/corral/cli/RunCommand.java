package dev.corral.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code corral run}: creates and starts a container, then (unless {@code -d}) streams its output
 * from the daemon's log until it exits and exits with its exit code; {@code --rm} deletes it then.
 * {@code -i} and {@code -t} give the container's process stdin and a pty ({@link Session}). Without
 * {@code --name} the id is made up; {@code -d} prints it, as docker does.
 *
 * <p>Runs on the main thread.
 */
@Command(
    name = "run",
    description = "Create and start a container; stream its output and exit with its code.",
    sortOptions = false,
    customSynopsis = "corral run [OPTIONS] (--rootfs DIR CMD [ARG...] | --bundle DIR)")
final class RunCommand extends ApiCommand {
  @Mixin CreateOptions create;

  @Option(
      names = {"-d", "--detach"},
      description = "Print the id and return once it runs.")
  boolean detach;

  @Option(names = "--rm", description = "Delete the container after it exits.")
  boolean remove;

  @Mixin StdioFlags stdio = new StdioFlags();

  @Override
  int run(Client c) {
    if (detach && remove) {
      throw new ParameterException(
          spec.commandLine(), "--rm needs the foreground: it cannot be combined with -d");
    }
    JsonObject body = create.json(spec);
    stdio.addTo(body);
    c.post("/v1/containers", body.toString());
    String id = create.id();
    if (detach) {
      out().println(id);
      return 0;
    }
    JsonObject exit =
        Session.around(
            c,
            id,
            "init",
            stdio,
            err(),
            () -> {
              LogsCommand.follow(c, id, "?follow=1", out(), err());
              return c.post("/v1/containers/" + id + "/wait", null).json().getAsJsonObject();
            });
    if (remove) {
      c.delete("/v1/containers/" + id);
    }
    return exit.get("exitCode").getAsInt();
  }
}
