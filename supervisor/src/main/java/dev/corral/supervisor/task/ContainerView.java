package dev.corral.supervisor.task;

import java.util.Map;

/**
 * A snapshot of one container, taken on the loop and handed to the API. Immutable.
 *
 * @param status creating, running, stopped, deleting
 * @param exitCode the init's exit code once stopped, else null
 * @param reason why it stopped, when not a plain exit (e.g. shim-lost), else null
 * @param restartPolicy when the container is run again after it exits
 * @param restartCount how often its restart policy ran it again since it was created or started by
 *     a user
 */
public record ContainerView(
    String id,
    String bundle,
    String status,
    int pid,
    Map<String, String> labels,
    String createdAt,
    String startedAt,
    Integer exitCode,
    String exitedAt,
    String reason,
    RestartPolicy restartPolicy,
    int restartCount) {}
