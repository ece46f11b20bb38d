package dev.corral.state;

import dev.corral.core.ContainerRef;
import dev.corral.core.Namespaces;
import java.util.List;
import java.util.Map;

/**
 * The immutable metadata of one container, written once when it is created ({@code
 * container.json}). Everything that changes lives in {@link StatusRecord}.
 *
 * @param bundle the user's bundle path as given
 * @param createdAt RFC 3339 time with nanoseconds
 * @param namespace its namespace; a record written before namespaces existed has none and reads as
 *     {@code default}
 * @param cgroupsPath the absolute cgroup path runc was given ({@code PARENT/NS/ID}); null in a
 *     record from before namespaces, whose cgroup is {@code PARENT/ID}
 */
public record ContainerRecord(
    String id,
    String bundle,
    Map<String, String> labels,
    boolean stdin,
    boolean terminal,
    List<String> runtimeArgs,
    String createdAt,
    String namespace,
    String cgroupsPath) {
  public ContainerRecord {
    labels = Map.copyOf(labels);
    runtimeArgs = List.copyOf(runtimeArgs);
    namespace = namespace == null ? Namespaces.DEFAULT : namespace;
  }

  public ContainerRef ref() {
    return new ContainerRef(namespace, id);
  }

  /** Its cgroup: the recorded path, or {@code cgroupParent/ID} for a record from before it. */
  public String cgroupsPath(String cgroupParent) {
    return cgroupsPath != null ? cgroupsPath : cgroupParent + "/" + id;
  }
}
