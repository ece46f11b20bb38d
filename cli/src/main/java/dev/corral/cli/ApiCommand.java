package dev.corral.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: the root command's socket and namespace choice, the output writers
 * picocli was given, and one client per invocation.
 *
 * <p>Runs on the main thread; one instance per invocation.
 */
abstract class ApiCommand implements Callable<Integer> {
  static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public final Integer call() {
    // The root, not the parent: a nested command (checkpoint create) has another parent.
    try (Client c = ((Main) spec.root().userObject()).client(spec.commandLine())) {
      return run(c);
    }
  }

  /** The command's work; returns the exit code. */
  abstract int run(Client c);

  /** An id for a URL path: refused here unless it has the daemon's id syntax. */
  static String id(String id) {
    return dev.corral.core.Ids.require("id", id);
  }

  /** An id given as {@code option}'s value: a usage error naming the option unless it is valid. */
  static String idOption(CommandSpec spec, String option, String value) {
    try {
      return dev.corral.core.Ids.require(option, value);
    } catch (dev.corral.core.CorralException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
