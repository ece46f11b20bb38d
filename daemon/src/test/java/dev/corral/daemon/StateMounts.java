package dev.corral.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Unmounts the tmpfs test daemons mount on their state dirs, once every daemon started on one has
 * exited: after each test and after each class (JUnit runs these callbacks after the test's own
 * {@code @AfterEach}/{@code @AfterAll} and before it removes the {@code @TempDir}, which cannot
 * remove a mount point). Lazy unmount ({@code umount -l}), because a container a test left running
 * on purpose may still hold files there. Registered for every test by service autodetection.
 *
 * <p>Thread-safe: test daemons are started and registered from test threads.
 */
public final class StateMounts implements AfterEachCallback, AfterAllCallback {
  private static final Map<Path, List<Process>> DAEMONS = new ConcurrentHashMap<>();

  /** Notes that {@code daemon} runs on {@code state} (and may mount a tmpfs there). */
  static void register(Path state, Process daemon) {
    DAEMONS.computeIfAbsent(state.toAbsolutePath().normalize(), k -> new ArrayList<>()).add(daemon);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    unmountUnused();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    unmountUnused();
  }

  private static synchronized void unmountUnused() throws Exception {
    for (Map.Entry<Path, List<Process>> e : List.copyOf(DAEMONS.entrySet())) {
      if (e.getValue().stream().noneMatch(Process::isAlive)) {
        while (mounted(e.getKey())) {
          umount(e.getKey());
        }
        DAEMONS.remove(e.getKey());
      }
    }
  }

  static boolean mounted(Path dir) throws IOException {
    String point = " " + dir.toAbsolutePath().normalize() + " ";
    return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
        .anyMatch(l -> l.contains(point));
  }

  private static void umount(Path dir) throws Exception {
    Process p = new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("umount -l " + dir + " failed");
    }
  }
}
