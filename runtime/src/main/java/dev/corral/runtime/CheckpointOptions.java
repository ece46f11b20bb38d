package dev.corral.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code runc checkpoint} a user may set. Immutable.
 *
 * @param leaveRunning keep the container running after the dump
 * @param tcpEstablished allow open TCP connections
 * @param unixSockets allow external unix sockets ({@code --ext-unix-sk})
 * @param shell allow shell jobs (a process with a controlling terminal)
 */
public record CheckpointOptions(
    boolean leaveRunning, boolean tcpEstablished, boolean unixSockets, boolean shell) {
  /** The flags, then the id. */
  List<String> args(Path imageDir, String id) {
    List<String> a = new ArrayList<>();
    a.addAll(List.of("--image-path", imageDir.toString(), "--work-path", imageDir.toString()));
    flag(a, leaveRunning, "--leave-running");
    flag(a, tcpEstablished, "--tcp-established");
    flag(a, unixSockets, "--ext-unix-sk");
    flag(a, shell, "--shell-job");
    a.add(id);
    return a;
  }

  private static void flag(List<String> a, boolean on, String name) {
    if (on) {
      a.add(name);
    }
  }
}
