package dev.corral.supervisor.task;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one container, taken on the loop and handed to the API: its state and, for a full
 * inspect, its spec's process and root, the resource limits applied, and its processes. Immutable.
 *
 * @param status creating, running, stopped, deleting
 * @param exitCode the init's exit code once stopped, else null
 * @param reason why it stopped, when not a plain exit (e.g. shim-lost), else null
 * @param rootfs the root filesystem it was made from, when made from one (else null: see bundle)
 * @param terminal whether the init runs on a pty
 * @param oomKilled an OOM kill was reported while it lived
 * @param process the spec's process; null while it is being created or when unreadable
 * @param root the spec's root; null as {@code process}
 * @param resources the limits applied, at create and by later updates
 * @param processes the init, then the execs (as {@code GET .../processes} lists them)
 * @param restartPolicy when the container is run again after it exits
 * @param restartCount how often its restart policy ran it again since it was created or started by
 *     a user
 */
public record ContainerView(
    String id,
    String namespace,
    String bundle,
    String status,
    int pid,
    Map<String, String> labels,
    String createdAt,
    String startedAt,
    Integer exitCode,
    String exitedAt,
    String reason,
    String rootfs,
    boolean terminal,
    boolean oomKilled,
    SpecView.Process process,
    SpecView.Root root,
    ResourcesView resources,
    List<ProcessView> processes,
    RestartPolicy restartPolicy,
    int restartCount) {}
