package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.core.Namespaces;
import dev.corral.runtime.PodSpecs;
import java.util.Map;

/**
 * A validated request to make a pod ({@code POST /v1/pods}): bad input fails here, on the API
 * thread. Immutable.
 *
 * @param namespace the corral namespace the pod and its containers live in (the request's)
 * @param podNamespace the pod's own namespace, as in Kubernetes ({@code namespace} in the body)
 * @param hostname the sandbox's host name; the pod's name when not given
 */
public record PodRequest(
    String namespace,
    String uid,
    String name,
    String podNamespace,
    String hostname,
    Map<String, String> labels) {
  public PodRequest {
    Namespaces.require("namespace", namespace);
    PodPart.requireUid("uid", uid);
    Ids.require("name", name);
    podNamespace =
        podNamespace == null ? Namespaces.DEFAULT : Ids.require("namespace", podNamespace);
    hostname = PodSpecs.requireHostname(hostname == null ? name : hostname);
    labels = Map.copyOf(labels == null ? Map.of() : labels);
  }
}
