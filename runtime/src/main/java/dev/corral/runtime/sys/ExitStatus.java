package dev.corral.runtime.sys;

/**
 * A wait status as waitpid reports it, decoded the way the W* macros of glibc do.
 *
 * <p>Immutable; usable from any thread.
 *
 * @param raw the status word filled in by waitpid
 */
public record ExitStatus(int raw) {
  /** True when the process called exit (WIFEXITED). */
  public boolean exited() {
    return (raw & 0x7f) == 0;
  }

  /** The exit code (WEXITSTATUS); meaningful only when {@link #exited()}. */
  public int exitCode() {
    return (raw >> 8) & 0xff;
  }

  /** The terminating signal (WTERMSIG), or 0 when the process exited. */
  public int signal() {
    return exited() ? 0 : raw & 0x7f;
  }

  /**
   * The code corral reports, the way conmon writes it: the exit code, or 128 + n for a death by
   * signal n (SIGKILL: 137).
   */
  public int code() {
    return exited() ? exitCode() : 128 + signal();
  }

  /** True for a plain {@code exit(0)}. */
  public boolean success() {
    return exited() && exitCode() == 0;
  }

  @Override
  public String toString() {
    return exited() ? "exit status " + exitCode() : "killed by signal " + signal();
  }
}
