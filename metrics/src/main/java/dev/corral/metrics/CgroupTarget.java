package dev.corral.metrics;

import dev.corral.core.ContainerRef;
import java.util.Comparator;

/**
 * One container whose cgroup the per-container metrics read: its name and namespace (the {@code
 * name} and {@code namespace} labels) and its cgroup path (the {@code id} label, as cAdvisor's).
 * Immutable.
 *
 * @param cgroupsPath absolute, as runc's cgroupsPath ({@code /corral/default/c1})
 */
public record CgroupTarget(ContainerRef ref, String cgroupsPath)
    implements Comparable<CgroupTarget> {
  private static final Comparator<CgroupTarget> ORDER =
      Comparator.comparing((CgroupTarget t) -> t.ref().namespace())
          .thenComparing(t -> t.ref().id());

  @Override
  public int compareTo(CgroupTarget o) {
    return ORDER.compare(this, o);
  }
}
