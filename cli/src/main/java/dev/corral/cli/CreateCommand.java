package dev.corral.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code corral create}: creates and starts a container (corrald does both in one call) and prints
 * its id. Like {@code run -d}.
 *
 * <p>Runs on the main thread.
 */
@Command(
    name = "create",
    description = "Create and start a container in the background; print its id.",
    sortOptions = false,
    customSynopsis = "corral create [OPTIONS] (--rootfs DIR CMD [ARG...] | --bundle DIR)")
final class CreateCommand extends ApiCommand {
  @Mixin CreateOptions create;

  @Override
  int run(Client c) {
    c.post("/v1/containers", create.body(spec));
    out().println(create.id());
    return 0;
  }
}
