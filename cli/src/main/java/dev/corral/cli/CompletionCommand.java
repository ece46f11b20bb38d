package dev.corral.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code corral generate-completion}: prints the bash completion script ({@link Completion});
 * {@code scripts/setup} installs it. Hidden from the help, as picocli's own generator is.
 *
 * <p>Runs on the main thread.
 */
@Command(
    name = "generate-completion",
    hidden = true,
    description = "Print the bash completion script (with container ids from the daemon).")
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(Completion.script(spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
