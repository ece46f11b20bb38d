package dev.corral.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.cli.FakeDaemon.Answer;
import dev.corral.cli.FakeDaemon.Request;
import dev.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Corral-Namespace header, {@code namespace ls|rm} and {@code events}' namespace filter. */
class NamespacesTest {
  @TempDir Path dir;

  private FakeDaemon daemon(java.util.function.Function<Request, Answer> answers) throws Exception {
    return new FakeDaemon(dir.resolve("d.sock"), answers);
  }

  private static String header(FakeDaemon d) {
    List<Request> rs = d.requests();
    assertEquals(1, rs.size(), rs.toString());
    return rs.get(0).header(Client.NAMESPACE_HEADER);
  }

  @Test
  void theNamespaceComesFromTheFlagThenTheEnvironmentThenNowhere() throws Exception {
    try (FakeDaemon d = daemon(r -> Answer.json("[]"))) {
      Map<String, String> env = Map.of("CORRAL_NAMESPACE", "from-env");
      assertEquals(0, d.run(env, "-n", "from-flag", "ps").code());
      assertEquals("from-flag", header(d));
    }
    try (FakeDaemon d = daemon(r -> Answer.json("[]"))) {
      assertEquals(0, d.run(Map.of("CORRAL_NAMESPACE", "from-env"), "ps").code());
      assertEquals("from-env", header(d));
    }
    try (FakeDaemon d = daemon(r -> Answer.json("[]"))) {
      assertEquals(0, d.run(Map.of("CORRAL_NAMESPACE", ""), "ps").code());
      assertNull(header(d)); // no header: the daemon's default
    }
  }

  @Test
  void theNamespaceFlagIsAlsoTakenAfterTheCommand() throws Exception {
    try (FakeDaemon d = daemon(r -> Answer.json("[]"))) {
      assertEquals(0, d.run("ps", "--namespace", "web", "-a").code());
      assertEquals("web", header(d));
    }
    try (FakeDaemon d = daemon(r -> Answer.json("[]"))) {
      assertEquals(0, d.run("pod", "ls", "-n", "batch").code());
      assertEquals("batch", header(d));
    }
  }

  @Test
  void aBadNamespaceIsAUsageErrorNamingTheOptionAndSendsNothing() throws Exception {
    try (FakeDaemon d = daemon(r -> Answer.json("[]"))) {
      Result flag = d.run("-n", "../etc", "ps");
      assertEquals(125, flag.code());
      assertTrue(
          flag.err().startsWith("corral: --namespace: \"../etc\" does not match"), flag.err());
      assertTrue(flag.err().endsWith("See 'corral --help'.\n"), flag.err());
      Result empty = d.run("ps", "-n", "");
      assertEquals(125, empty.code());
      assertTrue(empty.err().startsWith("corral: --namespace: must not be empty"), empty.err());
      Result env = d.run(Map.of("CORRAL_NAMESPACE", "a/b"), "ps");
      assertEquals(125, env.code());
      assertTrue(
          env.err().startsWith("corral: --namespace (from $CORRAL_NAMESPACE): \"a/b\""), env.err());
      assertEquals(List.of(), d.requests());
    }
  }

  @Test
  void namespaceLsPrintsATableNamesOrJson() throws Exception {
    String body =
        "[{\"name\":\"default\",\"containers\":3,\"pods\":0},"
            + "{\"name\":\"batch-jobs\",\"containers\":0,\"pods\":12}]";
    try (FakeDaemon d = daemon(r -> Answer.json(body))) {
      Result table = d.run("namespace", "ls");
      assertEquals(0, table.code(), table.err());
      assertEquals(
          "NAME         CONTAINERS   PODS\n"
              + "default      3            0\n"
              + "batch-jobs   0            12\n",
          table.out());
      assertEquals("default\nbatch-jobs\n", d.run("namespace", "ls", "-q").out());
      Result json = d.run("namespace", "ls", "--json");
      assertEquals(
          com.google.gson.JsonParser.parseString(body),
          com.google.gson.JsonParser.parseString(json.out()));
      assertTrue(d.requests().stream().allMatch(r -> r.line().equals("GET /v1/namespaces")));
      assertEquals(3, d.requests().size());
    }
  }

  @Test
  void namespaceRmGoesOnPastANamespaceThatIsNotEmpty() throws Exception {
    try (FakeDaemon d =
        daemon(
            r ->
                r.path().endsWith("/web")
                    ? new Answer(
                        409,
                        "{\"message\":\"namespace web: not empty (2 containers, 1 pod)\","
                            + "\"code\":\"failed_precondition\"}")
                    : new Answer(204, ""))) {
      Result r = d.run("namespace", "rm", "web", "old", "bad/name");
      assertEquals(1, r.code());
      assertEquals("old\n", r.out());
      List<String> errors = r.err().lines().toList();
      assertEquals("corral: namespace web: not empty (2 containers, 1 pod)", errors.get(0));
      assertTrue(errors.get(1).startsWith("corral: namespace: \"bad/name\""), r.err());
      assertEquals(
          List.of("DELETE /v1/namespaces/web", "DELETE /v1/namespaces/old"),
          d.requests().stream().map(Request::line).toList());
    }
  }

  @Test
  void namespaceWithoutASubcommandIsAUsageError() {
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        Main.execute(
            new String[] {"namespace"},
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(err),
            Map.of());
    assertEquals(125, code);
    assertTrue(err.toString().startsWith("corral: missing subcommand: ls or rm"), err.toString());
  }

  private static final String EVENTS =
      "{\"seq\":1,\"timestamp\":\"2026-11-23T16:28:46Z\",\"type\":\"exit\",\"id\":\"c1\","
          + "\"namespace\":\"default\",\"pid\":\"init\",\"status\":0}\n"
          + "{\"seq\":2,\"timestamp\":\"2026-11-23T16:28:47Z\",\"type\":\"exit\",\"id\":\"c2\","
          + "\"namespace\":\"web\",\"pid\":\"init\",\"status\":3}\n"
          + "{\"seq\":3,\"timestamp\":\"2026-11-23T16:28:48Z\",\"type\":\"delete\",\"id\":\"c3\","
          + "\"namespace\":\"batch\"}\n";

  @Test
  void eventsPassOneNamespaceToTheDaemonAndMatchSeveralHere() throws Exception {
    try (FakeDaemon d = daemon(r -> Answer.json(EVENTS))) {
      Result all = d.run("events");
      assertEquals(0, all.code(), all.err());
      assertEquals(
          "2026-11-23T16:28:46Z exit c1 pid=init status=0\n"
              + "2026-11-23T16:28:47Z exit c2 namespace=web pid=init status=3\n"
              + "2026-11-23T16:28:48Z delete c3 namespace=batch\n",
          all.out());
      assertTrue(!d.requests().get(0).path().contains("namespace"), d.requests().toString());

      Result one = d.run("events", "--filter", "namespace=web");
      assertEquals(0, one.code(), one.err());
      assertEquals("/v1/events?namespace=web", d.requests().get(1).path());

      Result two = d.run("events", "-f", "namespace=web", "-f", "namespace=default");
      assertEquals(0, two.code(), two.err());
      assertEquals("/v1/events", d.requests().get(2).path());
      assertEquals(
          "2026-11-23T16:28:46Z exit c1 pid=init status=0\n"
              + "2026-11-23T16:28:47Z exit c2 namespace=web pid=init status=3\n",
          two.out());

      Result bad = d.run("events", "--filter", "namespace=a/b");
      assertEquals(125, bad.code());
      assertTrue(bad.err().startsWith("corral: --filter namespace: \"a/b\""), bad.err());
      assertEquals(3, d.requests().size());
    }
  }
}
