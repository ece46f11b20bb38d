package dev.corral.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
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
    assertEquals(3, reapedBySomeoneElse("(read x <&4; exit 3) &", false).code());
  }

  @Test
  void aSignalDeathIsAWaitStatusWithTheSignal() {
    ExitStatus s = reapedBySomeoneElse("sleep 100 &", true);
    assertEquals(new ExitStatus(9), s);
    assertEquals(137, s.code());
  }

  /**
   * Starts {@code child} from a shell that then becomes {@code sleep}, which never reaps: the child
   * stays a zombie until that parent is killed and pid 1 reaps it. The child exits when the release
   * pipe closes, or by SIGKILL if {@code kill}. Checks that the zombie offers no exit status, then
   * returns what the reaped child offers.
   */
  private ExitStatus reapedBySomeoneElse(String child, boolean kill) {
    try (Pipe report = Pipe.open();
        Pipe release = Pipe.open()) {
      String script = child + " echo $! >&3; exec sleep 1000";
      int parent =
          Spawner.spawn(
              List.of("/bin/sh", "-c", script),
              Map.of(),
              dir,
              Map.of(3, report.writeFd(), 4, release.readFd()));
      report.closeWrite();
      release.closeRead();
      int pid = Integer.parseInt(report.readLine(System.nanoTime() + DEADLINE_NANOS).orElseThrow());
      // Until it has exec'ed sleep, the shell may still reap a child that died early.
      awaitExec(parent, "sleep");
      int pidfd = Pidfd.open(pid);
      try {
        assertTrue(pidfd >= 0, "the child is there until released");
        if (kill) {
          Pidfd.signal(pidfd, Pidfd.SIGKILL);
        } else {
          release.closeWrite();
        }
        assertTrue(Pidfd.awaitExit(pidfd, System.nanoTime() + DEADLINE_NANOS), "no exit seen");
        assertEquals(Optional.empty(), Pidfd.exitStatus(pidfd), "a zombie has no exit info yet");
        Spawner.killAndReap(parent); // the orphaned zombie goes to pid 1, which reaps it
        return awaitStatus(pidfd);
      } finally {
        if (pidfd >= 0) {
          Fds.close(pidfd);
        }
      }
    }
  }

  /** Waits until process {@code pid} runs {@code command} (a bound, not a timing check). */
  private static void awaitExec(int pid, String command) {
    Path comm = Path.of("/proc", Integer.toString(pid), "comm");
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (System.nanoTime() < deadline) {
      try {
        if (Files.readString(comm).strip().equals(command)) {
          return;
        }
      } catch (IOException e) {
        throw new AssertionError("the parent shell is gone: " + e);
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the parent never became " + command);
  }

  /** Waits for the reap by pid 1 (a bound, not a timing check). */
  private static ExitStatus awaitStatus(int pidfd) {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    Optional<ExitStatus> s;
    while ((s = Pidfd.exitStatus(pidfd)).isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return s.orElseThrow(() -> new AssertionError("not reaped within the deadline"));
  }
}
