package dev.corral.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral pod create|ls|inspect|rm}: pods, each a sandbox (a pause process holding the net,
 * ipc and uts namespaces) that containers made with {@code run --pod UID --name NAME} join. A pod
 * lives in the corral namespace of the request ({@code -n}) and has a Kubernetes namespace of its
 * own ({@code --pod-namespace}), which is only a name to corrald.
 *
 * <p>Runs on the main thread; the group itself only holds its subcommands.
 */
@Command(
    name = "pod",
    description = "Create, list, inspect and remove pods.",
    mixinStandardHelpOptions = true,
    subcommands = {
      PodCommand.Create.class,
      PodCommand.Ls.class,
      PodCommand.Inspect.class,
      PodCommand.Rm.class
    })
final class PodCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Without a subcommand: a usage error naming them. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing subcommand: create, ls, inspect or rm");
  }

  /** The API path of pod {@code uid}, refused here unless the uid has the daemon's id syntax. */
  static String path(String uid) {
    return "/v1/pods/" + dev.corral.core.Ids.require("uid", uid);
  }

  /** {@code pod create [OPTIONS] NAME}: creates the pod and its sandbox; prints the pod's uid. */
  @Command(name = "create", description = "Create a pod; print its uid.", sortOptions = false)
  static final class Create extends ApiCommand {
    @Option(
        names = "--uid",
        paramLabel = "UID",
        description = "The pod's uid (default: 12 random hex digits).")
    String uid;

    @Option(
        names = "--pod-namespace",
        paramLabel = "NAMESPACE",
        defaultValue = "default",
        description = "The pod's Kubernetes namespace (default: ${DEFAULT-VALUE}); not -n.")
    String podNamespace;

    @Option(
        names = "--hostname",
        paramLabel = "NAME",
        description = "The sandbox's hostname (default: corrald's choice).")
    String hostname;

    @Option(
        names = {"-l", "--label"},
        paramLabel = "KEY=VALUE",
        description = "Label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Parameters(index = "0", paramLabel = "NAME", description = "The pod's name.")
    String name;

    @Override
    int run(Client c) {
      JsonObject body = body(uid == null ? CreateOptions.newId() : uid);
      JsonObject made = c.post("/v1/pods", body.toString()).json().getAsJsonObject();
      out()
          .println(made.has("uid") ? made.get("uid").getAsString() : body.get("uid").getAsString());
      return 0;
    }

    /**
     * The {@code POST /v1/pods} body for a pod with {@code uid}; a bad {@code --uid} is refused.
     */
    JsonObject body(String uid) {
      JsonObject o = new JsonObject();
      o.addProperty("uid", idOption(spec, "--uid", uid));
      o.addProperty("name", name);
      o.addProperty("namespace", podNamespace);
      if (hostname != null) {
        o.addProperty("hostname", hostname);
      }
      JsonObject l = new JsonObject();
      labels.forEach(l::addProperty);
      o.add("labels", l);
      return o;
    }
  }

  /** {@code pod ls}: the pods (a table, uids only, or the daemon's JSON). */
  @Command(name = "ls", description = "List pods.", sortOptions = false)
  static final class Ls extends ApiCommand {
    static final List<String> COLUMNS =
        List.of("UID", "NAME", "NAMESPACE", "STATE", "CONTAINERS", "CREATED");

    @Option(
        names = {"-a", "--all"},
        description = "All pods (the daemon's ?all=1).")
    boolean all;

    @Option(
        names = {"-q", "--quiet"},
        description = "Print uids only.")
    boolean quiet;

    @Option(names = "--json", description = "Print the daemon's JSON.")
    boolean json;

    @Override
    int run(Client c) {
      JsonElement pods = c.get("/v1/pods" + new Query().flag("all", all)).json();
      if (json) {
        out().println(PRETTY.toJson(pods));
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonElement e : pods.getAsJsonArray()) {
        rows.add(row(e.getAsJsonObject(), Clock.systemUTC()));
      }
      if (quiet) {
        rows.forEach(r -> out().println(r.get(0)));
      } else {
        out().print(Table.format(COLUMNS, rows));
      }
      return 0;
    }

    /** One pod's row: its sandbox's state and age, and how many containers it has. */
    static List<String> row(JsonObject pod, Clock clock) {
      JsonObject sandbox = pod.has("sandbox") ? pod.getAsJsonObject("sandbox") : new JsonObject();
      JsonArray containers =
          pod.has("containers") ? pod.getAsJsonArray("containers") : new JsonArray();
      String created = Table.cell(sandbox, "createdAt");
      return List.of(
          Table.cell(pod, "uid"),
          Table.cell(pod, "name"),
          Table.cell(pod, "namespace"),
          Table.cell(sandbox, "state"),
          String.valueOf(containers.size()),
          created.equals("-") ? "-" : PsCommand.ago(Instant.parse(created), clock));
    }
  }

  /** {@code pod inspect UID...}: the daemon's status JSON of each pod, as an array. */
  @Command(name = "inspect", description = "Show pods in detail (JSON).")
  static final class Inspect extends ApiCommand {
    @Parameters(arity = "1..*", paramLabel = "UID", description = "Pod uids.")
    List<String> uids;

    @Override
    int run(Client c) {
      JsonArray a = new JsonArray();
      for (String uid : uids) {
        a.add(c.get(path(uid)).json());
      }
      out().println(PRETTY.toJson(a));
      return 0;
    }
  }

  /** {@code pod rm [-f] UID...}: removes pods; goes on past a failure and exits 1 if any failed. */
  @Command(name = "rm", description = "Remove pods.", sortOptions = false)
  static final class Rm extends ApiCommand {
    @Option(
        names = {"-f", "--force"},
        description = "Remove a pod even while its containers run (the daemon's ?force=1).")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "UID", description = "Pod uids.")
    List<String> uids;

    @Override
    int run(Client c) {
      int code = 0;
      for (String uid : uids) {
        try {
          c.delete(path(uid) + new Query().flag("force", force));
          out().println(uid);
        } catch (CliException | dev.corral.core.CorralException e) {
          err().println("corral: " + e.getMessage());
          code = 1;
        }
      }
      return code;
    }
  }
}
