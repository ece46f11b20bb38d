package dev.corral.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral namespace ls|rm}: corral's namespaces (not Kubernetes' ones: those are a pod's
 * {@code --pod-namespace}). A namespace exists while something is in it; {@code rm} of one that is
 * not empty is the daemon's 409, printed, exit 1.
 *
 * <p>Runs on the main thread; the group itself only holds its subcommands.
 */
@Command(
    name = "namespace",
    description = "List and remove corral namespaces.",
    mixinStandardHelpOptions = true,
    subcommands = {NamespaceCommand.Ls.class, NamespaceCommand.Rm.class})
final class NamespaceCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Without a subcommand: a usage error naming them. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: ls or rm");
  }

  /** {@code namespace ls}: a table (NAME, CONTAINERS, PODS), names only, or the daemon's JSON. */
  @Command(name = "ls", description = "List namespaces.", sortOptions = false)
  static final class Ls extends ApiCommand {
    static final List<String> COLUMNS = List.of("NAME", "CONTAINERS", "PODS");

    @Option(
        names = {"-q", "--quiet"},
        description = "Print names only.")
    boolean quiet;

    @Option(names = "--json", description = "Print the daemon's JSON.")
    boolean json;

    @Override
    int run(Client c) {
      JsonElement all = c.get("/v1/namespaces").json();
      if (json) {
        out().println(PRETTY.toJson(all));
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonElement e : all.getAsJsonArray()) {
        rows.add(row(e.getAsJsonObject()));
      }
      if (quiet) {
        rows.forEach(r -> out().println(r.get(0)));
      } else {
        out().print(Table.format(COLUMNS, rows));
      }
      return 0;
    }

    static List<String> row(JsonObject ns) {
      return List.of(Table.cell(ns, "name"), Table.cell(ns, "containers"), Table.cell(ns, "pods"));
    }
  }

  /** {@code namespace rm NS...}: removes empty namespaces; goes on past a failure. */
  @Command(name = "rm", description = "Remove empty namespaces.")
  static final class Rm extends ApiCommand {
    @Parameters(arity = "1..*", paramLabel = "NS", description = "Namespaces.")
    List<String> names;

    @Override
    int run(Client c) {
      int code = 0;
      for (String ns : names) {
        try {
          c.delete("/v1/namespaces/" + dev.corral.core.Ids.require("namespace", ns));
          out().println(ns);
        } catch (CliException | dev.corral.core.CorralException e) {
          err().println("corral: " + e.getMessage());
          code = 1;
        }
      }
      return code;
    }
  }
}
