package dev.corral.supervisor.model;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitors the loop tells of starts and exits, in the order added. A monitor that throws is
 * logged and the others are still told: a broken monitor never loses a container's exit.
 *
 * <p>{@link #add} before the loop runs; the calls on the loop thread only.
 */
public final class ContainerMonitors implements ContainerMonitor {
  private static final Logger log = LoggerFactory.getLogger(ContainerMonitors.class);
  private final List<ContainerMonitor> monitors = new ArrayList<>(); // set up before the loop runs

  public ContainerMonitors add(ContainerMonitor m) {
    monitors.add(m);
    return this;
  }

  @Override
  public void started(Container c) {
    for (ContainerMonitor m : monitors) {
      tell(m, c, "started", () -> m.started(c));
    }
  }

  @Override
  public void exited(Container c) {
    for (ContainerMonitor m : monitors) {
      tell(m, c, "exited", () -> m.exited(c));
    }
  }

  @Override
  public void recovered(Container c) {
    for (ContainerMonitor m : monitors) {
      tell(m, c, "recovered", () -> m.recovered(c));
    }
  }

  private static void tell(ContainerMonitor m, Container c, String what, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.error("container {}: monitor {} failed on {}", c.id(), m.getClass().getName(), what, e);
    }
  }
}
