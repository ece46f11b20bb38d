package dev.corral.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PIDFD_GET_INFO on a process that is not our child, as the container's init is not (its parent is
 * conmon): a shell plays conmon, starts the process, and reaps it only when told to.
 */
class PidfdExitInfoTest {
  private static final long DEADLINE_NANOS = 10_000_000_000L;

  @TempDir Path dir;

  @Test
  void theCodeOfAGrandchildIsOfferedOnceItsParentReapedIt() {
    assertEquals(3, reapedBySomeoneElse("(exit 3) &", false).code());
  }

  @Test
  void aSignalDeathIsAWaitStatusWithTheSignal() {
    ExitStatus s = reapedBySomeoneElse("sleep 100 &", true);
    assertEquals(new ExitStatus(9), s);
    assertEquals(137, s.code());
  }

  /**
   * Runs {@code start} in a shell that then waits on a pipe before it reaps, SIGKILLs it if {@code
   * kill}; checks that a zombie offers no exit status, then releases the shell and returns what the
   * reaped process offers.
   */
  private ExitStatus reapedBySomeoneElse(String start, boolean kill) {
    try (Pipe report = Pipe.open();
        Pipe release = Pipe.open()) {
      String script = start + " echo $! >&3; read x <&4; wait";
      int sh =
          Spawner.spawn(
              List.of("/bin/sh", "-c", script),
              Map.of(),
              dir,
              Map.of(3, report.writeFd(), 4, release.readFd()));
      report.closeWrite();
      int pid = Integer.parseInt(report.readLine(System.nanoTime() + DEADLINE_NANOS).orElseThrow());
      int pidfd = Pidfd.open(pid);
      try {
        if (pidfd == Pidfd.NO_PROCESS) {
          throw new AssertionError("the shell reaped " + pid + " before it was told to");
        }
        if (kill) {
          Pidfd.signal(pidfd, Pidfd.SIGKILL);
        }
        assertTrue(Pidfd.awaitExit(pidfd, System.nanoTime() + DEADLINE_NANOS), "no exit seen");
        assertEquals(Optional.empty(), Pidfd.exitStatus(pidfd), "a zombie has no exit info yet");
        release.closeWrite();
        assertTrue(Spawner.waitpid(sh).success());
        return Pidfd.exitStatus(pidfd).orElseThrow();
      } finally {
        if (pidfd >= 0) {
          Fds.close(pidfd);
        }
      }
    }
  }
}
