package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker's habits in the corral CLI, in process, against a real corrald with real runc, conmon and
 * busybox: the command after the options, generated ids, {@code ps -a} and filters, exit codes 126
 * and 127, CPU % and container ids in bash completion.
 */
class CliDockerHabitsIT extends SharedDaemon {
  static Path rootfs;

  @BeforeAll
  static void rootfs() throws Exception {
    rootfs = Fixtures.bundle(dir.resolve("busybox")).resolve("rootfs");
    Path noexec = rootfs.resolve("noexec");
    Files.writeString(noexec, "echo never\n");
    Files.setPosixFilePermissions(noexec, PosixFilePermissions.fromString("rw-r--r--"));
  }

  static CliIT.Result cli(String... args) {
    return CliIT.cli(daemon.socket, args);
  }

  static List<String> ids(CliIT.Result r) {
    assertEquals(0, r.code(), r.err());
    return r.out().lines().toList();
  }

  @Test
  void everythingAfterTheCommandBelongsToIt() {
    CliIT.Result hi = cli("run", "--rm", "--rootfs", rootfs.toString(), "sh", "-c", "echo hi");
    assertEquals(0, hi.code(), hi.err());
    assertEquals("hi\n", hi.out());
    CliIT.Result ls =
        cli("run", "--rm", "--rootfs", rootfs.toString(), "-l", "a=b", "ls", "-la", "/");
    assertEquals(0, ls.code(), ls.err());
    assertTrue(ls.out().lines().anyMatch(l -> l.startsWith("d") && l.endsWith(" bin")), ls.out());
    CliIT.Result dashed =
        cli("run", "--rm", "--rootfs", rootfs.toString(), "--", "sh", "-c", "exit 3");
    assertEquals(3, dashed.code(), dashed.err());
  }

  @Test
  void withoutANameAShortIdIsMadePrintedAndUsable() {
    CliIT.Result run = cli("run", "-d", "--rootfs", rootfs.toString(), "sleep", "1000");
    String id = ids(run).get(0);
    assertTrue(id.matches("[0-9a-f]{12}"), id);
    String created = ids(cli("create", "--rootfs", rootfs.toString(), "sleep", "1000")).get(0);
    assertTrue(created.matches("[0-9a-f]{12}"), created);
    assertNotEquals(id, created);
    assertTrue(ids(cli("ps", "-q")).containsAll(List.of(id, created)));
    assertEquals(0, cli("inspect", id).code());
    assertEquals(0, cli("rm", "-f", id, created).code());
  }

  @Test
  void psShowsRunningContainersAllWithDashAAndFiltersLikeDocker() {
    String r = rootfs.toString();
    assertEquals(
        0,
        cli("create", "--rootfs", r, "--name", "h-up", "-l", "s=ps", "-l", "t=web", "sleep", "1000")
            .code());
    assertEquals(
        0,
        cli(
                "create",
                "--rootfs",
                r,
                "--name",
                "h-down",
                "-l",
                "s=ps",
                "-l",
                "t=web",
                "sh",
                "-c",
                "exit 2")
            .code());
    assertEquals(
        0,
        cli(
                "create",
                "--rootfs",
                r,
                "--name",
                "h-other",
                "-l",
                "s=ps",
                "-l",
                "t=db",
                "sleep",
                "1000")
            .code());
    assertEquals("2\n", cli("wait", "h-down").out());
    assertEquals(
        List.of("h-up", "h-other"),
        ids(cli("ps", "-q", "-f", "label=s=ps")).stream()
            .sorted((a, b) -> b.compareTo(a))
            .toList());
    assertEquals(3, ids(cli("ps", "-a", "-q", "-f", "label=s=ps")).size());
    assertEquals(List.of("h-down"), ids(cli("ps", "-q", "-f", "label=s", "-f", "status=exited")));
    assertEquals(List.of("h-up"), ids(cli("ps", "-q", "-f", "label=s=ps", "-f", "label=t=web")));
    assertEquals(List.of("h-other"), ids(cli("ps", "-a", "-q", "-f", "name=-oth")));
    assertEquals(List.of("h-down"), ids(cli("ps", "-a", "-q", "-f", "label=s", "-f", "exited=2")));
    assertTrue(cli("ps", "-a", "--json", "-f", "id=h-d").out().contains("\"id\": \"h-down\""));
    CliIT.Result bad = cli("ps", "--filter", "colour=red");
    assertEquals(125, bad.code());
    assertEquals(2, bad.err().lines().count(), bad.err());
    assertEquals(0, cli("rm", "-f", "h-up", "h-down", "h-other").code());
  }

  @Test
  void aCommandThatIsNotThereExits127AndOneThatCannotRun126() {
    String r = rootfs.toString();
    CliIT.Result missing = cli("run", "--rm", "--rootfs", r, "nosuch");
    assertEquals(127, missing.code(), missing.err());
    assertTrue(missing.err().contains("executable file not found"), missing.err());
    assertEquals(127, cli("run", "--rm", "--rootfs", r, "/no/such/path").code());
    CliIT.Result noexec = cli("run", "--rm", "--rootfs", r, "/noexec");
    assertEquals(126, noexec.code(), noexec.err());
    assertTrue(noexec.err().contains("permission denied"), noexec.err());
    assertEquals(126, cli("run", "--rm", "--rootfs", r, "/bin").code());
    assertEquals(127, cli("create", "--rootfs", r, "--name", "h-miss", "nosuch").code());
    assertEquals(0, cli("run", "-d", "--rootfs", r, "--name", "h-exec", "sleep", "1000").code());
    assertEquals(127, cli("exec", "h-exec", "nosuch").code());
    assertEquals(126, cli("exec", "h-exec", "/noexec").code());
    assertEquals(3, cli("exec", "h-exec", "sh", "-c", "exit 3").code());
    assertEquals(0, cli("rm", "-f", "h-exec").code());
    assertTrue(ids(cli("ps", "-a", "-q")).stream().noneMatch(i -> i.equals("h-miss")));
  }

  @Test
  void statsShowsTheCpuPercentOfABusyContainer() {
    String loop = "while :; do :; done";
    assertEquals(
        0,
        cli("run", "-d", "--rootfs", rootfs.toString(), "--name", "h-busy", "sh", "-c", loop)
            .code());
    CliIT.Result s = cli("stats", "h-busy");
    assertEquals(0, s.code(), s.err());
    String row = s.out().lines().skip(1).findFirst().orElseThrow();
    assertTrue(row.matches("h-busy\\s+\\d+\\.\\d\\d%\\s.*"), row);
    double percent = Double.parseDouble(row.split("\\s+")[1].replace("%", ""));
    assertTrue(percent > 0, row); // a spinning shell used some CPU in a second
    assertEquals(0, cli("rm", "-f", "h-busy").code());
  }

  @Test
  void eventsFilterByContainersAndType() {
    for (String n : new String[] {"1", "2", "3"}) {
      assertEquals(
          0,
          cli(
                  "create",
                  "--rootfs",
                  rootfs.toString(),
                  "--name",
                  "h-ev" + n,
                  "sh",
                  "-c",
                  "exit " + n)
              .code());
      assertEquals(n + "\n", cli("wait", "h-ev" + n).out());
    }
    CliIT.Result ev =
        cli(
            "events",
            "--since",
            "5m",
            "--until",
            "0s",
            "-f",
            "container=h-ev1",
            "--filter",
            "id=h-ev3",
            "-f",
            "event=exit");
    assertEquals(0, ev.code(), ev.err());
    List<String> lines = ev.out().lines().toList();
    assertEquals(2, lines.size(), ev.out());
    assertTrue(lines.get(0).matches("\\S+Z exit h-ev1 pid=init status=1"), ev.out());
    assertTrue(lines.get(1).matches("\\S+Z exit h-ev3 pid=init status=3"), ev.out());
    CliIT.Result one =
        cli(
            "events",
            "--since",
            "5m",
            "--until",
            "0s",
            "-f",
            "container=h-ev2",
            "-f",
            "type=start-container");
    assertEquals(1, one.out().lines().count(), one.out());
    assertTrue(one.out().contains(" start-container h-ev2"), one.out());
    assertEquals(125, cli("events", "-f", "label=a=b").code()); // events carry no labels
    assertEquals(0, cli("rm", "h-ev1", "h-ev2", "h-ev3").code());
  }

  /** picocli's completion plus corral's hook, with scripts/corral asking the live daemon. */
  @Test
  void bashCompletesContainerIdsFromTheDaemon() throws Exception {
    assertEquals(
        0,
        cli("run", "-d", "--rootfs", rootfs.toString(), "--name", "h-comp", "sleep", "1000")
            .code());
    Path script = dir.resolve("corral.bash");
    Files.writeString(script, cli("generate-completion").out());
    String corral = Fixtures.scripts().resolve("corral").toString();
    String line =
        String.format(
            "source %s; COMP_WORDS=(%s --socket %s kill h-c); COMP_CWORD=4;"
                + " COMP_LINE=\"${COMP_WORDS[*]}\"; _complete_corral_with_ids 2>/dev/null;"
                + " echo \"${COMPREPLY[*]}\"",
            script, corral, daemon.socket);
    Process p = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES)); // a hang guard
    assertEquals("h-comp", out.strip());
    assertEquals(0, cli("rm", "-f", "h-comp").code());
  }
}
