package dev.corral.supervisor.recovery;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.state.RestartRecord;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerMonitors;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExecProcess;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.recovery.ReportedEvents.Seen;
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.task.RecoveredExec;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RecoverTask: the containers found in {@code --root} at start join the table, with their execs.
 * Every exit that happened while no daemon watched is reported now, exactly once: with the code and
 * time conmon wrote, unless the journal shows the last daemon reported it just before it died (its
 * record is only written after the event is journaled). An exec's exit comes before its
 * container's. Anyone who asks later is answered from the table, as for any stopped process. A
 * container kept although its records were damaged is reported by a {@code recovered} event, and
 * each directory moved to quarantine by a {@code quarantine} event. Each container then gets its
 * restart record back and the {@link ContainerMonitors} are told of it (a stopped container whose
 * policy says so is restarted).
 *
 * <p>Loop thread only; every method asserts it. The scan that finds the containers is {@link
 * Recovery}, run off the loop before this task.
 */
public final class RecoverHandler {
  private static final Logger log = LoggerFactory.getLogger(RecoverHandler.class);
  private final LoopGuard guard;
  private final ContainerTable table;
  private final EventLog events;
  private final StatusWriter status;
  private final ContainerMonitors monitors;

  public RecoverHandler(
      LoopGuard guard,
      ContainerTable table,
      EventLog events,
      StatusWriter status,
      ContainerMonitors monitors) {
    this.guard = guard;
    this.table = table;
    this.events = events;
    this.status = status;
    this.monitors = monitors;
  }

  public void recover(RecoverTask t) {
    assert guard.inLoop();
    Set<ContainerRef> ids =
        t.containers().stream().map(RecoveredContainer::ref).collect(Collectors.toSet());
    ReportedEvents reported = ReportedEvents.of(events.retained(), ids);
    t.namespaces().forEach(table::addNamespace);
    for (RecoverTask.Quarantined q : t.quarantined()) {
      events.emit(EventType.QUARANTINE, q.id(), null, null, q.reason());
    }
    for (RecoveredContainer r : t.containers()) {
      if (table.get(r.ref()) != null) {
        log.warn("container {}: recovered twice; keeping the first", r.ref());
        continue;
      }
      Container c = Container.recovered(r);
      RestartRecord restart = t.restarts().get(r.ref());
      if (restart != null) {
        c.restart().restore(restart);
      }
      table.put(c);
      r.execs().forEach(x -> addExec(c, x, reported));
      if (r.damage() != null) {
        events.emit(EventType.RECOVERED, c.ref(), null, null, r.damage());
        status.write(c); // replaces the damaged or set-aside status hint
      }
      if (r.exitUnreported()) {
        RecoveredContainer.Exit e = r.exit();
        if (reported.seen(c.ref(), Ids.INIT) != Seen.EXITED) {
          events.emit(EventType.EXIT, c.ref(), Ids.INIT, e.code(), e.reason());
        }
        status.write(c);
      }
      monitors.recovered(c); // after its exit is reported: a restart follows that exit
    }
    t.reply().complete(null);
  }

  private void addExec(Container c, RecoveredExec x, ReportedEvents reported) {
    ExecProcess e = ExecProcess.recovered(x.record(), x.exit());
    c.execs().put(e.id(), e);
    if (x.record().exited()) {
      return; // reported by the last daemon, and recorded after its event was journaled
    }
    Seen seen = reported.seen(c.ref(), e.id());
    if (seen == Seen.NOTHING) {
      // The last daemon died between recording the exec and telling anyone it runs.
      events.emit(EventType.START_PROCESS, c.ref(), e.id(), null);
    }
    if (x.exitUnrecorded()) {
      if (seen != Seen.EXITED) {
        RecoveredContainer.Exit exit = x.exit();
        events.emit(EventType.EXIT, c.ref(), e.id(), exit.code(), exit.reason());
      }
      status.writeExec(c.ref(), e.record());
    }
  }
}
