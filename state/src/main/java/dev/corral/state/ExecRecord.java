package dev.corral.state;

import java.util.List;

/**
 * One exec as a restarted daemon needs it ({@code execs/EXEC/exec.json}): what it runs, who holds
 * it, and, once the supervisor has reported it, how it ended. Written atomically by the exec's
 * worker right after its conmon reported the pid and before anyone is told the exec runs; rewritten
 * with the exit only after the {@code exit} event is in the journal. Immutable.
 *
 * @param execId the exec's id within its container
 * @param args what it runs (for listings)
 * @param terminal it runs on a pty
 * @param stdin its stdin was kept open
 * @param pid the exec's process in the host pid namespace
 * @param startTime field 22 of {@code /proc/PID/stat} of that process, 0 if it was gone already
 * @param conmonPid the exec's conmon
 * @param conmonStartTime field 22 of {@code /proc/PID/stat} of that conmon
 * @param exitCode the reported exit code, null while it runs (or before its exit was reported)
 * @param exitedAt when it exited (RFC 3339), null while it runs
 * @param reason why it stopped when that is not a plain exit (e.g. shim-lost), else null
 */
public record ExecRecord(
    String execId,
    List<String> args,
    boolean terminal,
    boolean stdin,
    int pid,
    long startTime,
    int conmonPid,
    long conmonStartTime,
    Integer exitCode,
    String exitedAt,
    String reason) {
  public ExecRecord {
    if (execId == null || args == null || args.isEmpty()) {
      throw new IllegalArgumentException("exec record: no id or no args");
    }
    if (pid < 1 || conmonPid < 1 || startTime < 0 || conmonStartTime < 0) {
      throw new IllegalArgumentException(
          "exec record " + execId + ": pid " + pid + ", conmon pid " + conmonPid);
    }
    args = List.copyOf(args);
  }

  /** Whether its exit has been reported (and so is recorded here). */
  public boolean exited() {
    return exitCode != null;
  }

  /** This record with its reported exit. */
  public ExecRecord withExit(int code, String at, String why) {
    return new ExecRecord(
        execId, args, terminal, stdin, pid, startTime, conmonPid, conmonStartTime, code, at, why);
  }
}
