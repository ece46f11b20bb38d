package dev.corral.state;

/**
 * The mutable part of a container as last written ({@code status.json}): a snapshot taken on the
 * supervisor loop and written atomically by {@link StateDir}.
 *
 * @param status creating, running, stopped (lower-case wire names)
 * @param pid the init pid, 0 before start
 * @param conmonPid the shim's pid, 0 before start
 * @param conmonStartTime /proc start time of the shim, to recognise it after pid reuse
 * @param exitCode the init's exit code, or -1 while it runs
 * @param reason why it stopped when that is not a plain exit (e.g. shim-lost), else null
 */
public record StatusRecord(
    String status,
    int pid,
    int conmonPid,
    long conmonStartTime,
    String startedAt,
    int exitCode,
    String exitedAt,
    String reason) {}
