package dev.corral.metrics;

import dev.corral.core.ContainerRef;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Comparator;

/**
 * One container whose cgroup the per-container metrics read: its name and namespace (the {@code
 * name} and {@code namespace} labels), its cgroup path (the {@code id} label, as cAdvisor's) and,
 * for a container of a pod, the pod's name and its own name in the pod (cAdvisor's {@code pod} and
 * {@code container} labels, as the kubelet's containers carry them). Immutable.
 *
 * @param cgroupsPath absolute, as runc's cgroupsPath ({@code /corral/default/c1})
 * @param pod the pod's name, or null for a container of no pod
 * @param container its name in the pod, or null
 */
public record CgroupTarget(ContainerRef ref, String cgroupsPath, String pod, String container)
    implements Comparable<CgroupTarget> {
  /** A container of no pod. */
  public CgroupTarget(ContainerRef ref, String cgroupsPath) {
    this(ref, cgroupsPath, null, null);
  }

  /** Its labels: id, name, namespace, then pod and container when it is in one. */
  public Labels labels() {
    Labels l = Labels.of("id", cgroupsPath, "name", ref.id(), "namespace", ref.namespace());
    if (pod != null) {
      l = l.add("pod", pod);
    }
    if (container != null) {
      l = l.add("container", container);
    }
    return l;
  }

  private static final Comparator<CgroupTarget> ORDER =
      Comparator.comparing((CgroupTarget t) -> t.ref().namespace())
          .thenComparing(t -> t.ref().id());

  @Override
  public int compareTo(CgroupTarget o) {
    return ORDER.compare(this, o);
  }
}
