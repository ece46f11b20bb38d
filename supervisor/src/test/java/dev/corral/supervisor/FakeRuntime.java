package dev.corral.supervisor;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.runtime.CheckpointOptions;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.CreateSpec;
import dev.corral.runtime.Created;
import dev.corral.runtime.ExecSpec;
import dev.corral.runtime.ExecStarted;
import dev.corral.runtime.ResourceUpdate;
import dev.corral.runtime.RuncState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A runtime that records what it was asked and fails on request; for loop unit tests. */
final class FakeRuntime implements ContainerRuntime {
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger pids = new AtomicInteger(1000);
  volatile RuntimeException failCreate;
  volatile RuntimeException failStart;
  volatile RuntimeException failKill;
  volatile RuntimeException failUpdate;
  volatile RuntimeException failExec;
  volatile RuntimeException failCheckpoint;
  volatile RuntimeException failSignal;

  /** Run by signalProcess before it answers (a test's stand-in for the signal's effect). */
  volatile Runnable onSignal = () -> {};

  /** The ids state() reports as running, set by a test. */
  final List<String> known = Collections.synchronizedList(new ArrayList<>());

  /** What state() reports for an id, set by a test; consulted before {@link #known}. */
  final Map<String, RuncState> states = new ConcurrentHashMap<>();

  @Override
  public Created create(CreateSpec spec) {
    calls.add("create " + spec.id());
    if (failCreate != null) {
      throw failCreate;
    }
    int conmon = pids.incrementAndGet();
    return new Created(pids.incrementAndGet(), conmon, 77L);
  }

  @Override
  public void start(ContainerRef id, Created created) {
    calls.add("start " + id);
    if (failStart != null) {
      throw failStart;
    }
  }

  @Override
  public void kill(ContainerRef id, int signal, boolean all) {
    calls.add("kill " + id + " " + signal + (all ? " --all" : ""));
    if (failKill != null) {
      throw failKill;
    }
  }

  @Override
  public void pause(ContainerRef id) {
    updateCall("pause " + id);
  }

  @Override
  public void resume(ContainerRef id) {
    updateCall("resume " + id);
  }

  @Override
  public void update(ContainerRef id, ResourceUpdate r) {
    updateCall("update " + String.join(" ", r.args(id.id())));
  }

  private void updateCall(String call) {
    calls.add(call);
    if (failUpdate != null) {
      throw failUpdate;
    }
  }

  @Override
  public ExecStarted exec(ExecSpec spec) {
    calls.add("exec " + spec.containerId() + " " + spec.execId());
    if (failExec != null) {
      throw failExec;
    }
    return new ExecStarted(pids.incrementAndGet(), 55L, pids.incrementAndGet(), 66L);
  }

  @Override
  public void signalProcess(ContainerRef id, String execId, int pid, long startTime, int signal) {
    calls.add("signal " + id + " " + execId + " " + signal);
    onSignal.run();
    if (failSignal != null) {
      throw failSignal;
    }
  }

  @Override
  public void checkpoint(ContainerRef id, Path imageDir, CheckpointOptions options) {
    calls.add(
        "checkpoint "
            + id
            + " "
            + imageDir.getFileName()
            + (options.leaveRunning() ? " --leave-running" : ""));
    if (failCheckpoint != null) {
      throw failCheckpoint;
    }
  }

  @Override
  public Path attachSocket(ContainerRef id, String execId) {
    return Path.of(
        "/fake/sock", id.namespace(), id.id(), execId == null ? "init" : execId, "attach");
  }

  @Override
  public void closeStdin(ContainerRef id, String execId) {
    calls.add("close-stdin " + id + " " + execId);
  }

  @Override
  public void resize(ContainerRef id, String execId, Path shimBundle, int height, int width) {
    calls.add(
        "resize "
            + id
            + " "
            + execId
            + " "
            + shimBundle.getFileName()
            + " "
            + height
            + "x"
            + width);
  }

  @Override
  public void delete(ContainerRef id, boolean force) {
    calls.add("delete " + id + (force ? " --force" : ""));
  }

  @Override
  public void removeShimLinks(ContainerRef id) {
    calls.add("unlink " + id);
  }

  @Override
  public Optional<RuncState> state(ContainerRef id) {
    calls.add("state " + id);
    String name = id.toString(); // the bare id in the default namespace, NS/ID elsewhere
    if (states.containsKey(name)) {
      return Optional.of(states.get(name));
    }
    return known.contains(name)
        ? Optional.of(new RuncState(id.id(), "running", 4242))
        : Optional.empty();
  }

  @Override
  public String runtimeVersion() {
    return "fake-runc 1";
  }

  @Override
  public String shimVersion() {
    return "fake-conmon 1";
  }

  static CorralException runcSays(String msg) {
    return CorralException.invalidArgument("container c1: runc create failed: %s", msg);
  }
}
