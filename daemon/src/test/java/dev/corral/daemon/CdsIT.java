package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * corrald's class-data archive as scripts/setup makes and scripts/corrald uses it: dumped by
 * scripts/cds-corrald through a real restart, then mapped by a daemon that serves; a stale archive
 * is named on stderr and does not stop corrald.
 */
class CdsIT {
  @TempDir Path dir;

  private Process script(List<String> cmd, Path out, String... env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(out.toFile());
    for (int i = 0; i < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    return pb.start();
  }

  @Test
  void theDumpedArchiveIsMappedByTheNextDaemon() throws Exception {
    Path archive = dir.resolve("corrald.jsa");
    Path dumpLog = dir.resolve("dump.log");
    Process dump =
        script(
            List.of(Fixtures.scripts().resolve("cds-corrald").toString()),
            dumpLog,
            "CORRAL_CDS_ARCHIVE",
            archive.toString());
    assertTrue(dump.waitFor(120, TimeUnit.SECONDS), "cds-corrald did not finish");
    assertEquals(0, dump.exitValue(), Files.readString(dumpLog));
    assertTrue(Files.size(archive) > 0);

    // -Xshare:on makes a daemon that cannot map the archive fail instead of loading from jars.
    Path classes = dir.resolve("classes.log");
    Path sock = dir.resolve("run/corral.sock");
    Process d =
        script(
            List.of(
                Fixtures.scripts().resolve("corrald").toString(),
                "--root",
                dir.resolve("root").toString(),
                "--state",
                dir.resolve("state").toString(),
                "--socket",
                sock.toString(),
                "--cgroup-parent",
                "/corral-cds-it-" + ProcessHandle.current().pid()),
            dir.resolve("corrald.log"),
            "CORRAL_CDS_ARCHIVE",
            archive.toString(),
            "CORRAL_JAVA_OPTS",
            "-Xshare:on -Xlog:class+load=info:file=" + classes);
    StateMounts.register(dir.resolve("state"), d);
    try (Api api = new Api(sock)) {
      Api.Reply ping = awaitPing(api, d);
      assertEquals(200, ping.status(), Files.readString(dir.resolve("corrald.log")));
      String loaded = Files.readString(classes);
      assertTrue(
          loaded.contains("dev.corral.daemon.Main source: shared objects file (top)"), loaded);
      assertTrue(
          loaded.contains(
              "dev.corral.supervisor.recovery.Recovery source: shared objects file (top)"),
          loaded);
      // Main's choice of jnr-ffi binding: reflection invokers, no classes generated at start.
      assertTrue(loaded.contains("jnr.ffi.provider.jffi.ReflectionLibraryLoader "), loaded);
      assertTrue(!loaded.contains("jnr.ffi.provider.jffi.AsmLibraryLoader "), loaded);
    } finally {
      d.destroy();
      assertTrue(d.waitFor(30, TimeUnit.SECONDS));
    }
  }

  private static Api.Reply awaitPing(Api api, Process d) throws Exception {
    for (int i = 0; i < 600 && d.isAlive(); i++) {
      try {
        return api.get("/v1/_ping");
      } catch (java.util.concurrent.ExecutionException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("corrald did not serve (alive: " + d.isAlive() + ")");
  }

  @Test
  void aStaleArchiveIsNamedAndCorraldStillRuns() throws Exception {
    Path stale = dir.resolve("stale.jsa");
    Files.writeString(stale, "not an archive");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
    Path out = dir.resolve("out.log");
    Process p =
        script(
            List.of(Fixtures.scripts().resolve("corrald").toString(), "--version"),
            out,
            "CORRAL_CDS_ARCHIVE",
            stale.toString());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String text = Files.readString(out);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains(stale + " is older than the jars"), text);
    assertTrue(text.contains("corrald "), text);
  }
}
