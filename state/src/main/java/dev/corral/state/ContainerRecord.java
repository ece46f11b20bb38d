package dev.corral.state;

import java.util.List;
import java.util.Map;

/**
 * The immutable metadata of one container, written once when it is created ({@code
 * container.json}). Everything that changes lives in {@link StatusRecord}.
 *
 * @param bundle the user's bundle path as given
 * @param createdAt RFC 3339 time with nanoseconds
 */
public record ContainerRecord(
    String id,
    String bundle,
    Map<String, String> labels,
    boolean stdin,
    boolean terminal,
    List<String> runtimeArgs,
    String createdAt) {
  public ContainerRecord {
    labels = Map.copyOf(labels);
    runtimeArgs = List.copyOf(runtimeArgs);
  }
}
