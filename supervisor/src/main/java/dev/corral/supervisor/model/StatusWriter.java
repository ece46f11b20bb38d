package dev.corral.supervisor.model;

import dev.corral.core.ContainerRef;
import dev.corral.state.ExecRecord;
import dev.corral.state.RestartFiles;
import dev.corral.state.RestartRecord;
import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.thread.LoopGuard;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists status snapshots off the loop: an fsync costs milliseconds, so the loop hands immutable
 * records to one writer thread, which writes them in submission order.
 *
 * <p>Snapshots taken during a ring batch are handed over only at its end, after the batch's events
 * are in the journal ({@link #flush}). So a record that says an exit was reported is never on disk
 * before that {@code exit} event: a daemon killed in between finds the exit in the journal and does
 * not report it again, and one killed earlier finds neither and reports it once. Losing the newest
 * snapshot in a crash is otherwise harmless: conmon's exit files are the source of truth for exits.
 *
 * <p>{@link #write}, {@link #writeExec} and {@link #flush} are called on the loop thread
 * (asserted); the writes run on the executor's one thread.
 */
public final class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private final StateDir state;
  private final Executor serial;
  private final List<Runnable> pending = new ArrayList<>(); // loop thread

  public StatusWriter(StateDir state, Executor serial) {
    this.state = state;
    this.serial = serial;
  }

  /** Queues {@code c}'s status snapshot until the end of the batch. */
  public void write(Container c) {
    assert LoopGuard.onALoopThread();
    write(c.ref(), c.statusRecord());
  }

  /** Queues container {@code id}'s status snapshot until the end of the batch. */
  public void write(ContainerRef id, StatusRecord status) {
    assert LoopGuard.onALoopThread();
    pending.add(() -> writeNow(id, "status", () -> state.writeStatus(id, status)));
  }

  /** Queues an exec's record (with its reported exit) until the end of the batch. */
  public void writeExec(ContainerRef id, ExecRecord exec) {
    assert LoopGuard.onALoopThread();
    pending.add(() -> writeNow(id, "exec " + exec.execId(), () -> state.writeExec(id, exec)));
  }

  /** Queues {@code c}'s restart record ({@code restart.json}) until the end of the batch. */
  public void writeRestart(Container c) {
    assert LoopGuard.onALoopThread();
    ContainerRef id = c.ref();
    RestartRecord r = c.restart().record();
    pending.add(() -> writeNow(id, "restart record", () -> RestartFiles.write(state.paths(id), r)));
  }

  /** End of a ring batch, after the journal write: hands this batch's snapshots to the writer. */
  public void flush() {
    assert LoopGuard.onALoopThread();
    if (pending.isEmpty()) {
      return;
    }
    List<Runnable> batch = List.copyOf(pending);
    pending.clear();
    serial.execute(() -> batch.forEach(Runnable::run));
  }

  private interface Write {
    void run() throws IOException;
  }

  private static void writeNow(ContainerRef id, String what, Write w) {
    try {
      w.run();
    } catch (NoSuchFileException e) {
      // The container was deleted after this snapshot was taken: nothing left to update.
      log.debug("container {}: {} not written, directory gone", id, what);
    } catch (IOException e) {
      log.warn("container {}: writing {} failed: {}", id, what, e.toString());
    }
  }
}
