package dev.corral.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemons one restart test starts in turn: the first on the test's directory, each later one a
 * restart on the first's root, socket and cgroup parent. After the test, the last is killed and
 * what its containers left is cleaned.
 *
 * <p>Used by one test's thread.
 */
final class DaemonChain {
  private final List<Corrald> daemons = new ArrayList<>();

  /** The first daemon on {@code dir}, or a restart of it; {@code args} go to corrald. */
  Corrald start(Path dir, String... args) throws Exception {
    Corrald d =
        daemons.isEmpty() ? Corrald.start(dir, args) : Corrald.restart(daemons.get(0), args);
    return add(d);
  }

  /** A daemon the test started its own way, as the first of the chain. */
  Corrald add(Corrald d) {
    daemons.add(d);
    return d;
  }

  /** Kills the last daemon (SIGKILL: containers stay) and cleans what its containers left. */
  void cleanUp() throws Exception {
    if (daemons.isEmpty()) {
      return;
    }
    Corrald last = daemons.get(daemons.size() - 1);
    last.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Fixtures.cleanUp(last);
  }
}
