package dev.corral.state;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoded journal records that could not be written (the disk is full), oldest first, waiting to be
 * written before anything newer. Bounded by bytes: once a chunk does not fit, it and every chunk
 * after it are dropped until the backlog has been written out completely, so what is dropped is one
 * contiguous seq range, reported once ({@link #takeDropped}) after the records before it are on
 * disk.
 *
 * <p>Thread contract: {@link #add} and {@link #takeDropped} on the journal's writer thread; {@link
 * #drainTo} under the journal's io lock (writer or journal thread); {@link #count} and {@link
 * #isEmpty} from any thread.
 */
final class JournalBacklog {
  private static final Logger log = LoggerFactory.getLogger(JournalBacklog.class);

  private record Chunk(byte[] bytes, long first, long last, int count) {}

  private final Path dir;
  private final long maxBytes;
  private final ConcurrentLinkedDeque<Chunk> chunks = new ConcurrentLinkedDeque<>();
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private long droppedFirst; // writer thread: 0 when nothing was dropped
  private long droppedLast; // writer thread
  private boolean dropping; // writer thread: dropping until the backlog is empty again

  JournalBacklog(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  /** Writer thread: queues the records {@code first..last} ({@code n} of them), or drops them. */
  void add(byte[] records, long first, long last, int n) {
    dropping = dropping && !chunks.isEmpty();
    if (dropping || bytes.get() + records.length > maxBytes) {
      if (!dropping) {
        log.error(
            "journal {}: {} bytes wait for disk space already; events from {} on are not journaled"
                + " until they are written",
            dir,
            bytes.get(),
            first);
      }
      dropping = true;
      droppedFirst = droppedFirst == 0 ? first : droppedFirst;
      droppedLast = last;
      return;
    }
    chunks.addLast(new Chunk(records, first, last, n));
    bytes.addAndGet(records.length);
    count.addAndGet(n);
  }

  /** Under io: writes chunks in order until one fails; true when none is left. */
  boolean drainTo(JournalSegments segments) {
    for (Chunk c; (c = chunks.peekFirst()) != null; ) {
      if (!segments.write(ByteBuffer.wrap(c.bytes()), c.last())) {
        return false;
      }
      chunks.pollFirst();
      bytes.addAndGet(-c.bytes().length);
      count.addAndGet(-c.count());
    }
    return true;
  }

  /** Writer thread: the dropped range, once everything before it is written; else null. */
  JournalDamage takeDropped() {
    if (droppedFirst == 0 || !chunks.isEmpty()) {
      return null;
    }
    JournalDamage d =
        new JournalDamage(
            "disk-full",
            droppedFirst,
            droppedLast,
            String.format(
                "events %d to %d lost: not journaled, the disk was full and %d bytes were waiting",
                droppedFirst, droppedLast, maxBytes));
    droppedFirst = 0;
    droppedLast = 0;
    return d;
  }

  long count() {
    return count.get();
  }

  boolean isEmpty() {
    return chunks.isEmpty();
  }
}
