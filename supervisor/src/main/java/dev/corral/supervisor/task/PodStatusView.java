package dev.corral.supervisor.task;

import java.util.List;

/**
 * A pod as a node agent reads it (the kubelet's {@code PodStatus}): its sandbox and its containers,
 * composed by the loop from its table. Immutable; {@code equals} tells a change from a repeat.
 *
 * @param fullName {@code name_namespace}, the kubelet's pod full name
 * @param sandbox null for a pod known from its containers' labels only (made by another client)
 * @param timestamp when this status was last changed, as RFC 3339 with nanoseconds; set when the
 *     status is served ({@link #at}), null while the loop composes it
 */
public record PodStatusView(
    String uid,
    String name,
    String namespace,
    String fullName,
    Sandbox sandbox,
    List<Member> containers,
    String timestamp) {
  public PodStatusView {
    containers = List.copyOf(containers);
  }

  /** This status served with {@code timestamp}. */
  public PodStatusView at(String timestamp) {
    return new PodStatusView(uid, name, namespace, fullName, sandbox, containers, timestamp);
  }

  /**
   * The pod's infra container.
   *
   * @param state ready while it runs, else notready
   */
  public record Sandbox(String id, String state, int pid, String createdAt) {}

  /**
   * One container of the pod.
   *
   * @param state created, running, exited or unknown (the CRI's container states)
   */
  public record Member(
      String id,
      String name,
      String state,
      String createdAt,
      String startedAt,
      String finishedAt,
      Integer exitCode,
      String reason,
      int restartCount) {}
}
