package dev.corral.daemon;

import dev.corral.runtime.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where a daemon start spends its time: named phases, each the wall time since the previous mark,
 * printed as one log line once corrald serves ({@code startup: jvm 160 ms, args 40 ms, ...}). The
 * first phase, {@code jvm}, runs from the process's start to {@code main}: the kernel's start time
 * of this process against its uptime, both since boot, in 10 ms ticks.
 *
 * <p>Used by the main thread only.
 */
final class StartupTrace {
  private record Phase(String name, long millis) {}

  private final List<Phase> phases = new ArrayList<>(); // main thread
  private long last; // main thread: System.nanoTime() of the last mark

  private StartupTrace(long startNanos) {
    this.last = startNanos;
  }

  /** Starts the trace now, with a {@code jvm} phase from the process start when it is known. */
  static StartupTrace begin() {
    StartupTrace t = new StartupTrace(System.nanoTime());
    sinceProcessStart().ifPresent(ms -> t.phases.add(new Phase("jvm", ms)));
    return t;
  }

  /** Milliseconds since this process started, when /proc tells. */
  static OptionalLong sinceProcessStart() {
    OptionalLong startTicks = ProcStat.startTime((int) ProcessHandle.current().pid());
    if (startTicks.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return sinceStart(startTicks.getAsLong(), Files.readString(Path.of("/proc/uptime")));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * From the process's start time (ticks since boot, {@link ProcStat}) and /proc/uptime (seconds
   * since boot).
   */
  static OptionalLong sinceStart(long startTicks, String uptime) {
    double up = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
    long ms = Math.round(up * 1000) - startTicks * 10; // USER_HZ is 100 on Linux
    return ms >= 0 ? OptionalLong.of(ms) : OptionalLong.empty();
  }

  /** Ends the phase called {@code name} now. */
  void mark(String name) {
    long now = System.nanoTime();
    phases.add(new Phase(name, (now - last) / 1_000_000));
    last = now;
  }

  /** {@code jvm 160 ms, args 40 ms, ..., total 800 ms}. */
  String summary() {
    StringBuilder b = new StringBuilder();
    long total = 0;
    for (Phase p : phases) {
      b.append(p.name()).append(' ').append(p.millis()).append(" ms, ");
      total += p.millis();
    }
    return b.append("total ").append(total).append(" ms").toString();
  }
}
