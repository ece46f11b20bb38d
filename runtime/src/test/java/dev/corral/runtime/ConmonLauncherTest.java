package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConmonLauncherTest {
  private static final ConmonLauncher LAUNCHER =
      new ConmonLauncher(
          Path.of("/usr/bin/conmon"),
          Path.of("/usr/sbin/runc"),
          ns -> Path.of("/r/runc"),
          Path.of("/run/crl"),
          Duration.ofSeconds(30));

  private static CreateSpec spec(boolean stdin, boolean terminal, List<String> runtimeArgs) {
    Path c = Path.of("/s/c1");
    return new CreateSpec(
        ContainerRef.of("c1"),
        c.resolve("bundle"),
        c.resolve("persist"),
        Path.of("/s/exits"),
        c.resolve("log"),
        c.resolve("init.pid"),
        c.resolve("conmon.pid"),
        stdin,
        terminal,
        runtimeArgs);
  }

  private static List<String> base() {
    return new ArrayList<>(
        List.of(
            "/usr/bin/conmon",
            "--api-version",
            "1",
            "-c",
            "c1",
            "-u",
            ShimToken.of(ContainerRef.of("c1")),
            "-n",
            "c1",
            "-r",
            "/usr/sbin/runc",
            "-b",
            "/s/c1/bundle",
            "-p",
            "/s/c1/init.pid",
            "-P",
            "/s/c1/conmon.pid",
            "-l",
            "k8s-file:/s/c1/log",
            "--exit-dir",
            "/s/exits",
            "--persist-dir",
            "/s/c1/persist",
            "--socket-dir-path",
            "/run/crl",
            "--log-level",
            "warn",
            "--no-sync-log",
            "--runtime-arg",
            "--root=/r/runc"));
  }

  @Test
  void argvFollowsThePodmanProtocol() {
    assertEquals(base(), LAUNCHER.argv(spec(false, false, List.of())));
  }

  @Test
  void stdinTerminalAndRuntimeArgsAreAppended() {
    List<String> want = base();
    want.addAll(List.of("--runtime-arg", "--debug", "-i", "-t"));
    assertEquals(want, LAUNCHER.argv(spec(true, true, List.of("--debug"))));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "runc create failed: unable to start container process: exec: \"nosuch\": "
            + "executable file not found in $PATH|INVALID_ARGUMENT",
        "runc create failed: rootfs: no such file or directory|INVALID_ARGUMENT",
        "exec: \"/etc\": permission denied|INVALID_ARGUMENT",
        "container with id exists: c1|ALREADY_EXISTS",
        "runc create failed: unable to apply cgroup configuration|FAILED_PRECONDITION",
      })
  void createFailuresAreClassifiedAndKeepRuncsText(String message, ErrorKind kind) {
    CorralException e = ConmonLauncher.createFailed("c1", message);
    assertEquals(kind, e.kind());
    assertEquals("container c1: " + message, e.getMessage());
  }
}
