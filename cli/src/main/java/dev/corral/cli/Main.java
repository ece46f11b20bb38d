package dev.corral.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code corral}: the command-line client of corrald. Parses the command line with picocli and runs
 * one subcommand against the daemon's socket ({@code --socket}, else {@code CORRAL_SOCKET}, else
 * {@code /run/corral/corral.sock}), in the corral namespace {@code -n}/{@code --namespace} names
 * (before or after the subcommand), else {@code CORRAL_NAMESPACE}, else none: then no {@code
 * Corral-Namespace} header goes out and the daemon uses {@code default}.
 *
 * <p>Exit codes ({@link ExitCodes}, docker's): 0 on success, 1 when the daemon refuses or cannot be
 * reached (its message on stderr), 125 for a usage error (one line and a hint: {@link
 * UsageErrors}); {@code run}, {@code create} and {@code exec} exit with the process's own code, or
 * 125 when corral or corrald failed, 126 when the command cannot be invoked, 127 when it is not
 * found.
 *
 * <p>Runs on the main thread; one instance per invocation.
 */
@Command(
    name = "corral",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT, // so every subcommand has --help, as the README says
    versionProvider = Main.Version.class,
    description = "Run and manage containers through corrald.",
    subcommands = {
      RunCommand.class,
      CreateCommand.class,
      PsCommand.class,
      InspectCommand.class,
      KillCommand.class,
      StopCommand.class,
      StartCommand.class,
      RmCommand.class,
      WaitCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      UpdateCommand.class,
      StatsCommand.class,
      ExecCommand.class,
      CheckpointCommand.class,
      PodCommand.class,
      NamespaceCommand.class,
      LogsCommand.class,
      EventsCommand.class,
      InfoCommand.class,
      VersionCommand.class,
      CompletionCommand.class
    })
public final class Main {
  static final String DEFAULT_SOCKET = "/run/corral/corral.sock";

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description = "corrald's socket (default: $CORRAL_SOCKET, else " + DEFAULT_SOCKET + ").")
  Path socket; // main thread; set by picocli while parsing

  private String namespace; // main thread; set by picocli while parsing, already valid

  @Spec CommandSpec spec; // set by picocli before parsing

  private final Map<String, String> env;

  Main(Map<String, String> env) {
    this.env = env;
  }

  /** The socket to use: the option, else CORRAL_SOCKET, else the default. */
  Path socket() {
    if (socket != null) {
      return socket;
    }
    String fromEnv = env.get("CORRAL_SOCKET");
    return Path.of(fromEnv == null || fromEnv.isEmpty() ? DEFAULT_SOCKET : fromEnv);
  }

  /**
   * {@code -n}/{@code --namespace}: checked as it is parsed, so a bad name is a usage error naming
   * the option. Inherited, so {@code corral ps -n web} means {@code corral -n web ps}.
   */
  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      scope = CommandLine.ScopeType.INHERIT,
      description = "corral namespace (default: $CORRAL_NAMESPACE, else the daemon's default).")
  void namespace(String ns) {
    namespace = ns == null ? null : valid("--namespace", ns, null); // null: picocli's reset
  }

  /**
   * The namespace to send: the option, else CORRAL_NAMESPACE (empty counts as unset), else null,
   * for no header. A bad CORRAL_NAMESPACE is a usage error too.
   */
  String namespace(CommandLine line) {
    if (namespace != null) {
      return namespace;
    }
    String fromEnv = env.get("CORRAL_NAMESPACE");
    if (fromEnv == null || fromEnv.isEmpty()) {
      return null;
    }
    return valid("--namespace (from $CORRAL_NAMESPACE)", fromEnv, line);
  }

  private String valid(String field, String ns, CommandLine line) {
    return ApiCommand.idOption(line == null ? spec : line.getCommandSpec(), field, ns);
  }

  /**
   * A client of the chosen socket, sending the chosen namespace; {@code line} gets usage errors.
   */
  Client client(CommandLine line) {
    return new Client(socket(), namespace(line));
  }

  /** Runs one command line with the given output and environment; returns the exit code. */
  public static int execute(
      String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    CommandLine cl = commandLine(env);
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(new UsageErrors());
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (!(e instanceof CliException || e instanceof dev.corral.core.CorralException)) {
            throw e;
          }
          line.getErr().println("corral: " + e.getMessage());
          line.getErr().flush();
          return startsAProcess(line.getCommand())
              ? ExitCodes.ofStartFailure(e.getMessage())
              : ExitCodes.REFUSED;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The parser for corral's commands, with docker's way of reading a command to run. */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new Main(env));
    stopsAtTheCommand(cl, "run", "create", "exec");
    return cl;
  }

  /**
   * Makes {@code commands} stop parsing options at their first positional, as docker's {@code run}
   * and {@code exec} do: from there on every word belongs to the command ({@code run --rootfs R sh
   * -c 'echo hi'}, {@code exec c1 ls -la}).
   */
  static void stopsAtTheCommand(CommandLine root, String... commands) {
    for (String c : commands) {
      root.getSubcommands().get(c).setStopAtPositional(true);
    }
  }

  private static boolean startsAProcess(Object command) {
    return command instanceof RunCommand
        || command instanceof CreateCommand
        || command instanceof ExecCommand;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(args, out, err, System.getenv()));
  }

  /** The version printed by {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    static String client() {
      return dev.corral.core.BuildInfo.version();
    }

    @Override
    public String[] getVersion() {
      return new String[] {"corral " + client()};
    }
  }
}
