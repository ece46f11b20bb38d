package dev.corral.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event journal: append-only segment files {@code DIR/<first seq, 20 digits>.log} of framed,
 * checksummed records ({@link JournalCodec}). {@link #append} encodes into a buffer; {@link #flush}
 * hands the buffer to the kernel with one write(2) per ring batch. Each segment holds {@code
 * retain} records; once the loop rolls to a new one, older segments that the newest {@code retain}
 * events no longer need are deleted by the {@code corral-journal} thread, so compaction never
 * rewrites a file and never blocks the writer. The disk holds between {@code retain} and {@code 2 *
 * retain} events.
 *
 * <p>Durability: a flushed record is in the page cache, so it survives a crash or kill of the
 * daemon. It is not fsynced per batch: an fsync costs milliseconds and would stall the loop, and
 * every client of the stream would pay for it. The journal thread fdatasyncs the open segment once
 * a second instead, so a kernel crash or power loss loses at most about the last second.
 *
 * <p>Thread contract: {@link #open} on any thread (before the writer starts); {@link #append},
 * {@link #flush} and {@link #close} on one writer thread (the supervisor loop). The journal thread
 * only syncs, closes retired segments and deletes files.
 */
public final class EventJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventJournal.class);
  private static final int BUFFER = 256 * 1024;
  private static final long SYNC_MILLIS = 1000;

  /** What {@link #open} found: the journal, ready to append, and the newest retained events. */
  public record Opened(EventJournal journal, List<StoredEvent> events) {}

  private final Path dir;
  private final int retain;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER); // writer thread
  private final CRC32 crc = new CRC32(); // writer thread
  private final ArrayDeque<JournalSegment> segments; // writer thread; oldest first, last is open
  private final ScheduledExecutorService background;
  private volatile FileChannel channel; // written by the writer, synced by the journal thread
  private long lastSeq; // writer thread: last seq appended
  private long writtenSeq; // writer thread: last seq handed to the kernel

  private EventJournal(Path dir, int retain, ArrayDeque<JournalSegment> segments, long lastSeq)
      throws IOException {
    this.dir = dir;
    this.retain = retain;
    this.segments = segments;
    this.lastSeq = lastSeq;
    this.writtenSeq = lastSeq;
    this.channel = openForAppend(segments.getLast().file());
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "corral-journal");
              t.setDaemon(true);
              return t;
            });
    background.scheduleWithFixedDelay(this::sync, SYNC_MILLIS, SYNC_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens (creating when absent) the journal in {@code dir}: reads every segment, drops a torn or
   * corrupt tail with a warning (truncating the file there, so appends follow whole records), and
   * returns the newest {@code retain} events.
   */
  public static Opened open(Path dir, int retain) throws IOException {
    if (retain < 1) {
      throw new IllegalArgumentException("retain: must be at least 1");
    }
    Files.createDirectories(dir);
    ArrayDeque<JournalSegment> segments = new ArrayDeque<>(JournalFiles.list(dir));
    ArrayDeque<StoredEvent> newest = new ArrayDeque<>();
    long last = 0;
    for (JournalSegment s : segments) {
      last = readSegment(s, last, newest, retain);
    }
    if (segments.isEmpty()) {
      segments.add(new JournalSegment(last + 1, JournalFiles.path(dir, last + 1)));
    }
    EventJournal j = new EventJournal(dir, retain, segments, last);
    return new Opened(j, List.copyOf(newest));
  }

  private static long readSegment(
      JournalSegment s, long last, ArrayDeque<StoredEvent> newest, int retain) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(s.file()));
    for (StoredEvent e; (e = JournalCodec.decode(buf)) != null; ) {
      if (e.seq() <= last) {
        log.warn("journal {}: seq {} after {}; dropping the rest", s.file(), e.seq(), last);
        break;
      }
      if (last != 0 && e.seq() != last + 1) {
        log.warn("journal {}: events {} to {} are missing", s.file(), last + 1, e.seq() - 1);
      }
      last = e.seq();
      newest.addLast(e);
      if (newest.size() > retain) {
        newest.removeFirst();
      }
    }
    int good = buf.position();
    if (buf.limit() > good) {
      log.warn(
          "journal {}: dropping a torn or corrupt tail of {} bytes at offset {} (after seq {})",
          s.file(),
          buf.limit() - good,
          good,
          last);
      JournalFiles.truncate(s.file(), good);
    }
    return last;
  }

  /** Writer thread: buffers one record; the kernel gets it at the next {@link #flush}. */
  public void append(StoredEvent e) {
    if (!JournalCodec.fits(buffer.remaining())) {
      flush();
    }
    JournalCodec.encode(e, buffer, crc);
    lastSeq = e.seq();
  }

  /**
   * Writer thread: one write(2) of everything appended since the last flush, then rolls to a new
   * segment when the open one holds {@code retain} records. A failing write is logged and its
   * records dropped from the journal (they stay in memory): the loop must not stop for a disk.
   */
  public void flush() {
    if (buffer.position() == 0) {
      return;
    }
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      writtenSeq = lastSeq;
    } catch (IOException e) {
      log.error("journal {}: write failed; events up to {} not journaled", dir, lastSeq, e);
    } finally {
      buffer.clear();
    }
    if (writtenSeq - segments.getLast().firstSeq() + 1 >= retain) {
      roll();
    }
  }

  private void roll() {
    JournalSegment next =
        new JournalSegment(writtenSeq + 1, JournalFiles.path(dir, writtenSeq + 1));
    FileChannel old = channel;
    try {
      channel = openForAppend(next.file());
    } catch (IOException e) {
      log.error("journal {}: cannot start segment {}; appending to the old one", dir, next, e);
      return;
    }
    segments.addLast(next);
    List<Path> expired = expire();
    submit(() -> retire(old, expired));
  }

  /** Drops from the list the oldest segments the newest {@code retain} events do not need. */
  private List<Path> expire() {
    List<Path> expired = new ArrayList<>();
    while (segments.size() > 1) {
      JournalSegment oldest = segments.removeFirst();
      long keptWithout = writtenSeq - segments.getFirst().firstSeq() + 1;
      if (keptWithout < retain) {
        segments.addFirst(oldest);
        break;
      }
      expired.add(oldest.file());
    }
    return expired;
  }

  private void retire(FileChannel old, List<Path> expired) {
    try {
      old.force(false);
      old.close();
      for (Path p : expired) {
        Files.deleteIfExists(p);
      }
      AtomicFiles.fsyncDir(dir);
    } catch (IOException e) {
      log.warn("journal {}: retiring a segment: {}", dir, e.toString());
    }
  }

  private void sync() {
    try {
      channel.force(false);
    } catch (IOException e) {
      // A channel the writer just retired is closed under us; the retire task syncs it.
      log.debug("journal {}: periodic sync: {}", dir, e.toString());
    }
  }

  private void submit(Runnable r) {
    try {
      background.execute(r);
    } catch (RejectedExecutionException closed) {
      r.run();
    }
  }

  /** Writer thread: the last seq handed to the kernel. */
  public long writtenSeq() {
    return writtenSeq;
  }

  /** Writer thread, last: flushes, syncs and closes; stops the journal thread. */
  @Override
  public void close() {
    flush();
    background.shutdown();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
      channel.force(false);
      channel.close();
    } catch (IOException e) {
      log.warn("journal {}: closing: {}", dir, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static FileChannel openForAppend(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }
}
