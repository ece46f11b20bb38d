package dev.corral.supervisor;

import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists status snapshots off the loop: an fsync costs milliseconds, so the loop hands an
 * immutable {@link StatusRecord} to one writer thread, which writes them in submission order.
 * Losing the newest snapshot in a crash is harmless: conmon's own exit file is the source of truth
 * for an exit.
 *
 * <p>{@link #write} is called on the loop thread; the writes run on the executor's one thread.
 */
final class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private final StateDir state;
  private final Executor serial;

  StatusWriter(StateDir state, Executor serial) {
    this.state = state;
    this.serial = serial;
  }

  void write(String id, StatusRecord status) {
    serial.execute(() -> writeNow(id, status));
  }

  private void writeNow(String id, StatusRecord status) {
    try {
      state.writeStatus(id, status);
    } catch (NoSuchFileException e) {
      // The container was deleted after this snapshot was taken: nothing left to update.
      log.debug("container {}: status not written, directory gone", id);
    } catch (IOException e) {
      log.warn("container {}: writing status failed: {}", id, e.toString());
    }
  }
}
