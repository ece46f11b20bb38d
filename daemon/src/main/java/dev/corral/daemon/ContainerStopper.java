package dev.corral.daemon;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.supervisor.Supervisor;
import dev.corral.supervisor.task.ExitView;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.task.WaitTask;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops every running container when the daemon shuts down with {@code --shutdown-containers}:
 * SIGTERM to each init, then, for those still running after the grace period, SIGKILL to all of
 * their processes. It goes through the supervisor's own commands, so each exit is recorded, emitted
 * as an event and logged exactly as any other.
 *
 * <p>Runs on the shutdown thread, which blocks on the replies; never on the loop.
 */
final class ContainerStopper {
  private static final Logger log = LoggerFactory.getLogger(ContainerStopper.class);
  private static final Duration ASK = Duration.ofSeconds(30);
  private static final Duration AFTER_KILL = Duration.ofSeconds(10);

  private final Supervisor supervisor;

  ContainerStopper(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  void stopAll(Duration grace) {
    List<ContainerRef> running = running();
    log.info(
        "stopping {} containers: TERM, then KILL after {} ms", running.size(), grace.toMillis());
    signal(running, 15, false);
    List<ContainerRef> left = awaitExits(running, grace);
    if (!left.isEmpty()) {
      log.warn("{} containers ignored TERM for {} ms; killing them", left.size(), grace.toMillis());
      signal(left, 9, true);
      left = awaitExits(left, AFTER_KILL);
    }
    if (!left.isEmpty()) {
      log.error("containers still running after KILL: {}", left);
    }
  }

  private List<ContainerRef> running() {
    GetContainersTask t = new GetContainersTask(null, null, Map.of(), new Reply<>());
    supervisor.submit(t);
    return t.reply().await(ASK).stream()
        .filter(c -> "running".equals(c.status()))
        .map(c -> new ContainerRef(c.namespace(), c.id()))
        .toList();
  }

  private void signal(List<ContainerRef> ids, int signal, boolean all) {
    List<Reply<Void>> replies = new ArrayList<>();
    for (ContainerRef id : ids) {
      SignalTask t = SignalTask.atShutdown(id, signal, all);
      supervisor.submit(t);
      replies.add(t.reply());
    }
    for (int i = 0; i < ids.size(); i++) {
      try {
        replies.get(i).await(ASK);
      } catch (CorralException e) {
        log.info("container {}: signal {}: {}", ids.get(i), signal, e.getMessage());
      }
    }
  }

  /** Waits until {@code ids} exit or {@code timeout} passes; returns those still running. */
  private List<ContainerRef> awaitExits(List<ContainerRef> ids, Duration timeout) {
    List<Reply<ExitView>> waits = new ArrayList<>();
    for (ContainerRef id : ids) {
      WaitTask t = new WaitTask(id, new Reply<>());
      supervisor.submit(t);
      waits.add(t.reply());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ContainerRef> left = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Duration rest = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      try {
        ExitView v = waits.get(i).await(rest);
        log.info("container {}: stopped at shutdown, exit {}", ids.get(i), v.exitCode());
      } catch (CorralException e) {
        left.add(ids.get(i));
      }
    }
    return left;
  }
}
