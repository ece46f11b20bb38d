package dev.corral.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a usage error as docker does: one line naming the problem and a hint where the help is,
 * then exit 125 ({@link ExitCodes#USAGE}), instead of picocli's whole usage message:
 *
 * <pre>
 * corral: Unknown option: '--bogus'
 * See 'corral ps --help'.
 * </pre>
 *
 * <p>Stateless; called by picocli on the main thread.
 */
final class UsageErrors implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    line.getErr().println("corral: " + message(e));
    line.getErr().println("See '" + line.getCommandSpec().qualifiedName() + " --help'.");
    line.getErr().flush();
    return ExitCodes.USAGE;
  }

  /** picocli's message, except for a word that is not a command at all. */
  static String message(ParameterException e) {
    CommandLine line = e.getCommandLine();
    boolean atTop = line.getParent() == null || !line.getSubcommands().isEmpty();
    if (e instanceof UnmatchedArgumentException u && atTop && !u.getUnmatched().isEmpty()) {
      String word = u.getUnmatched().get(0);
      if (!word.startsWith("-")) {
        return "'" + word + "' is not a " + line.getCommandSpec().qualifiedName() + " command";
      }
    }
    return e.getMessage();
  }
}
