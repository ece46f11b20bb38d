package dev.corral.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral checkpoint create|ls|rm}: a container's CRIU checkpoints ({@code runc checkpoint}
 * through the daemon). A CRIU failure is the daemon's 409 with CRIU's reason: printed, exit 1.
 *
 * <p>Runs on the main thread; the group itself only holds its subcommands.
 */
@Command(
    name = "checkpoint",
    description = "Create, list and remove checkpoints (CRIU).",
    mixinStandardHelpOptions = true,
    subcommands = {
      CheckpointCommand.Create.class,
      CheckpointCommand.Ls.class,
      CheckpointCommand.Rm.class
    })
final class CheckpointCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Without a subcommand: a usage error naming them. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: create, ls or rm");
  }

  static String path(String id) {
    return "/v1/containers/" + ApiCommand.id(id) + "/checkpoints";
  }

  /** {@code checkpoint create ID [NAME]}: dumps the container; prints the checkpoint's name. */
  @Command(name = "create", description = "Checkpoint a container.", sortOptions = false)
  static final class Create extends ApiCommand {
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Option(names = "--leave-running", description = "Keep the container running afterwards.")
    boolean leaveRunning;

    @Option(names = "--tcp", description = "Dump established TCP connections.")
    boolean tcp;

    @Option(names = "--unix-sockets", description = "Dump external unix sockets.")
    boolean unixSockets;

    @Option(names = "--shell", description = "Allow a shell job (a process with a terminal).")
    boolean shell;

    @Parameters(index = "0", paramLabel = "ID", description = "Container id.")
    String id;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "NAME",
        description = "Checkpoint name (default: cp- and the UTC time, cp-20261123-181600).")
    String name;

    @Override
    int run(Client c) {
      JsonObject made = c.post(path(id), body().toString()).json().getAsJsonObject();
      out().println(made.get("name").getAsString());
      return 0;
    }

    static String defaultName(Clock clock) {
      return "cp-" + STAMP.format(clock.instant());
    }

    JsonObject body() {
      JsonObject o = new JsonObject();
      o.addProperty("name", id(name == null ? defaultName(Clock.systemUTC()) : name));
      o.addProperty("leaveRunning", leaveRunning);
      o.addProperty("tcp", tcp);
      o.addProperty("unixSockets", unixSockets);
      o.addProperty("shell", shell);
      return o;
    }
  }

  /** {@code checkpoint ls ID}: the container's checkpoints as a table (NAME, CREATED, PATH). */
  @Command(name = "ls", description = "List a container's checkpoints.", sortOptions = false)
  static final class Ls extends ApiCommand {
    static final List<String> COLUMNS = List.of("NAME", "CREATED", "PATH");

    @Option(names = "--json", description = "Print the daemon's JSON.")
    boolean json;

    @Parameters(paramLabel = "ID", description = "Container id.")
    String id;

    @Override
    int run(Client c) {
      JsonElement all = c.get(path(id)).json();
      if (json) {
        out().println(PRETTY.toJson(all));
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonElement e : all.getAsJsonArray()) {
        rows.add(row(e.getAsJsonObject()));
      }
      out().print(Table.format(COLUMNS, rows));
      return 0;
    }

    static List<String> row(JsonObject cp) {
      return List.of(text(cp, "name"), text(cp, "createdAt"), text(cp, "path"));
    }

    private static String text(JsonObject o, String field) {
      JsonElement e = o.get(field);
      return e == null || e.isJsonNull() ? "-" : e.getAsString();
    }
  }

  /** {@code checkpoint rm ID NAME...}: removes checkpoints; goes on past a failure. */
  @Command(name = "rm", description = "Remove checkpoints.")
  static final class Rm extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Container id.")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME", description = "Names.")
    List<String> names;

    @Override
    int run(Client c) {
      int code = 0;
      for (String name : names) {
        try {
          c.delete(path(id) + "/" + id(name));
          out().println(name);
        } catch (CliException | dev.corral.core.CorralException e) {
          err().println("corral: " + e.getMessage());
          code = 1;
        }
      }
      return code;
    }
  }
}
