package dev.corral.supervisor.task;

import dev.corral.runtime.SpecSummary;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What a container's inspect shows of its OCI spec: its process and root, and the resource limits
 * it was created with. Read from the daemon's copy of {@code config.json} off the loop (by the
 * start job, or the recovery scan).
 *
 * <p>Immutable.
 */
public record SpecView(Process process, Root root, ResourcesView resources) {
  /** {@code process}: the init's command, environment, working directory, user and terminal. */
  public record Process(
      List<String> args, List<String> env, String cwd, User user, boolean terminal) {}

  /** {@code process.user}. */
  public record User(Integer uid, Integer gid) {}

  /** {@code root}: the root filesystem's path and whether it is mounted read-only. */
  public record Root(String path, boolean readonly) {}

  /**
   * Reads the spec in {@code bundleDir}; null when it cannot be read (logged): the container runs
   * all the same, its inspect just shows less. File I/O: never on the loop.
   */
  public static SpecView read(Path bundleDir) {
    try {
      return of(SpecSummary.read(bundleDir));
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(SpecView.class)
          .warn("{}: spec not shown: {}", bundleDir, e.getMessage());
      return null;
    }
  }

  /**
   * As {@link #read}, from {@code config}, the content of {@code bundleDir/config.json} the caller
   * has read already.
   */
  public static SpecView of(Path bundleDir, byte[] config) {
    try {
      return of(SpecSummary.parse(bundleDir, config));
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(SpecView.class)
          .warn("{}: spec not shown: {}", bundleDir, e.getMessage());
      return null;
    }
  }

  public static SpecView of(SpecSummary s) {
    return new SpecView(
        new Process(s.args(), s.env(), s.cwd(), new User(s.uid(), s.gid()), s.terminal()),
        new Root(s.rootPath(), s.rootReadonly()),
        ResourcesView.of(
            s.memoryLimit(), s.cpuShares(), s.cpuQuota(), s.cpuPeriod(), s.pidsLimit()));
  }
}
