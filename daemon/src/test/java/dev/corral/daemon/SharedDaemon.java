package dev.corral.daemon;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real corrald for all the tests of an IT class: started before the first test on a private
 * root, socket and cgroup parent, stopped and cleaned up (runc state, cgroups) after the last.
 * Subclasses add their own {@code @BeforeAll} for bundles; it runs after {@link #startDaemon}.
 *
 * <p>The statics are reassigned by each class in turn; failsafe runs the classes one at a time.
 */
abstract class SharedDaemon {
  @TempDir static Path dir;
  static Corrald daemon;
  static Api api;

  @BeforeAll
  static void startDaemon() throws Exception {
    daemon = Corrald.start(dir);
    api = daemon.api();
  }

  @AfterAll
  static void stopDaemon() throws Exception {
    api.close();
    daemon.stop();
    Fixtures.cleanUp(daemon);
  }
}
