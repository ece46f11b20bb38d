package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Exits taken from the init's own pidfd (the kernel's wait status, read as soon as conmon reaps the
 * init) against what conmon writes in its exit file afterwards, through a real corrald; and the
 * true code when conmon cannot write that file.
 */
class PidfdExitIT extends SharedDaemon {
  @Test
  void exitZeroIsReportedAsConmonRecordsIt() throws Exception {
    assertSameAsConmon("p0", Fixtures.bundle(dir.resolve("b-p0"), "true"), null, 0);
  }

  @Test
  void exitThreeIsReportedAsConmonRecordsIt() throws Exception {
    assertSameAsConmon("p3", Fixtures.bundle(dir.resolve("b-p3"), "sh", "-c", "exit 3"), null, 3);
  }

  @Test
  void aKillIs137AsConmonRecordsIt() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-p137"), "sleep", "1000");
    assertSameAsConmon("p137", b, "KILL", 137);
  }

  @Test
  void aDeathByTermIs143AsConmonRecordsIt() throws Exception {
    // Without a pid namespace the init is not its namespace's init, so a TERM it has no handler
    // for kills it: the wait status says signal 15.
    Path b = Fixtures.bundle(dir.resolve("b-p143"), "sleep", "1000");
    Fixtures.withoutPidNamespace(b);
    assertSameAsConmon("p143", b, "TERM", 143);
  }

  @Test
  void anExit143FromATrapIsReportedAsConmonRecordsIt() throws Exception {
    Path b =
        Fixtures.bundle(
            dir.resolve("b-trap"), "sh", "-c", "trap 'exit 143' TERM; sleep 1000 & wait");
    assertSameAsConmon("ptrap", b, "TERM", 143);
  }

  @Test
  void theTrueCodeIsReportedWhenConmonCannotWriteItsExitFile() throws Exception {
    Path b =
        Fixtures.bundle(
            dir.resolve("b-nofile"), "sh", "-c", "trap 'exit 5' HUP; sleep 1000 & wait");
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("nofile", b)).status());
    Path persist = containerDir("nofile").resolve("persist");
    // Where conmon writes its exit files, gone: as on a full disk, it cannot record the exit.
    Fixtures.run(
        "rm", "-rf", persist.toString(), containerDir("nofile").resolve("exits").toString());

    api.post("/v1/containers/nofile/signal", "{\"signal\":\"HUP\"}");
    JsonObject waited = api.post("/v1/containers/nofile/wait", null).json();
    assertEquals(5, waited.get("exitCode").getAsInt(), waited.toString());
    JsonObject c = api.get("/v1/containers/nofile").json();
    assertFalse(c.has("reason") && !c.get("reason").isJsonNull(), c.toString());
    assertFalse(Files.exists(persist.resolve("exit")));
    assertEquals(204, api.delete("/v1/containers/nofile").status());
  }

  /**
   * Runs {@code id} (sending {@code signal} once it runs, if any); the exit event, the wait and
   * conmon's exit file, once conmon wrote it, all say {@code code}.
   */
  private void assertSameAsConmon(String id, Path bundle, String signal, int code)
      throws Exception {
    try (Api.EventStream events = api.events("?type=exit&id=" + id)) {
      events.next("live", null);
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody(id, bundle)).status());
      if (signal != null) {
        Api.Reply r =
            api.post("/v1/containers/" + id + "/signal", "{\"signal\":\"" + signal + "\"}");
        assertEquals(204, r.status(), r.body());
      }
      JsonObject exit = events.next("exit", id);
      assertEquals(code, exit.get("status").getAsInt(), exit.toString());
      assertEquals(
          code, api.post("/v1/containers/" + id + "/wait", null).json().get("exitCode").getAsInt());
      assertEquals(String.valueOf(code), conmonsExitFile(id));
      assertEquals(204, api.delete("/v1/containers/" + id).status());
    }
  }

  /** The exit file conmon writes after it reaped the init; waits for it (not a timing check). */
  private String conmonsExitFile(String id) throws Exception {
    Path file = containerDir(id).resolve("persist").resolve("exit");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return Files.readString(file).trim();
  }

  /** The container's runtime dir (the one with conmon's persist dir). */
  private static Path containerDir(String id) {
    Path run = Fixtures.runDir(daemon, id);
    if (!Files.isDirectory(run.resolve("persist"))) {
      throw new AssertionError("no state dir of " + id + " at " + run);
    }
    return run;
  }
}
