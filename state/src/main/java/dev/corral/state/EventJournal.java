package dev.corral.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event journal: append-only segment files {@code DIR/<first seq, 20 digits>.log} of framed,
 * checksummed records ({@link JournalCodec}), and the high-water mark {@code DIR/high-water}
 * ({@link JournalHighWater}). {@link #append} encodes into a buffer; {@link #flush} hands the
 * buffer to the kernel with one write(2) per ring batch, then moves the high-water mark to the last
 * seq appended (a store into a mapped page, see {@link JournalHighWater}). Each segment holds
 * {@code retain} records; older segments the newest {@code retain} events no longer need are
 * deleted by the {@code corral-journal} thread.
 *
 * <p>Seq is never reused: {@link #open} continues after the high-water mark, which no damaged or
 * missing segment can lower, and reports what is lost ({@link JournalReader}).
 *
 * <p>A write that fails (a full disk, mostly) is rolled back to the end of the last whole record
 * (truncate, which needs no space) before anything else is written, so the file never holds a torn
 * record followed by good ones. The records that were not written wait, in order, in an in-memory
 * backlog ({@link #unjournaled}), and are written before anything newer: at each flush, and once a
 * second by the journal thread, so they reach the disk when space returns even if no new event
 * comes. The backlog holds at most {@value #MAX_BACKLOG} bytes (about 200,000 events); past that,
 * newer events are not journaled at all: they were still shown to subscribers and their seqs are
 * covered by the high-water mark, and once the backlog is written a {@code disk-full} {@link
 * JournalDamage} names the range (also reported at the next start if the daemon stops first).
 *
 * <p>Durability: a flushed record is in the page cache, so it survives a crash or kill of the
 * daemon. The journal thread fdatasyncs the open segment and the mark once a second, so a kernel
 * crash or power loss loses at most about the last second (and reports it at the next start).
 *
 * <p>Thread contract: {@link #open} on any thread; {@link #append}, {@link #flush}, {@link
 * #takeDamage} and {@link #close} on one writer thread (the supervisor loop); {@link #unjournaled}
 * from any. The segment file is written under {@code io}, held by the writer or, for the
 * once-a-second retry, by the journal thread; the writer only ever tries the lock, so it never
 * waits for the disk behind another thread.
 */
public final class EventJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventJournal.class);
  private static final int BUFFER = 256 * 1024;
  private static final long SYNC_MILLIS = 1000;
  static final int MAX_BACKLOG = 16 * 1024 * 1024;

  /**
   * What {@link #open} found: the journal, ready to append; the newest retained events; the last
   * seq ever handed out (the next event gets the one after); the damage to report.
   */
  public record Opened(
      EventJournal journal, List<StoredEvent> events, long lastSeq, List<JournalDamage> damage) {}

  private final Path dir;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER); // writer thread
  private final CRC32 crc = new CRC32(); // writer thread
  private final JournalHighWater highWater; // written by the writer thread
  private final JournalBacklog backlog; // see its own contract
  private final JournalSegments segments; // under io
  private final ReentrantLock io = new ReentrantLock();
  private final ScheduledExecutorService background;
  private long lastSeq; // writer thread: last seq appended
  private long bufferedFirst; // writer thread: seq of the first record in the buffer, 0 if none
  private int bufferedCount; // writer thread: records in the buffer

  private EventJournal(Path dir, JournalSegments segments, JournalHighWater mark, long lastSeq) {
    this.dir = dir;
    this.segments = segments;
    this.highWater = mark;
    this.lastSeq = lastSeq;
    this.backlog = new JournalBacklog(dir, MAX_BACKLOG);
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "corral-journal");
              t.setDaemon(true);
              return t;
            });
    segments.useBackground(background);
    background.scheduleWithFixedDelay(this::sync, SYNC_MILLIS, SYNC_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens (creating when absent) the journal in {@code dir}: reads every segment, moving damaged
   * bytes aside and reporting what was lost (see {@link JournalReader}), and returns the newest
   * {@code retain} events and the last seq ever handed out.
   */
  public static Opened open(Path dir, int retain) throws IOException {
    if (retain < 1) {
      throw new IllegalArgumentException("retain: must be at least 1");
    }
    Files.createDirectories(dir);
    JournalReader.Result r = JournalReader.read(dir, JournalFiles.list(dir), retain);
    ArrayDeque<JournalSegment> list = new ArrayDeque<>(r.segments());
    long next = r.highWater() + 1;
    if (list.isEmpty() || r.lastDamaged()) {
      // Appends never follow damage: a fresh segment named after the next seq.
      list.removeIf(s -> s.firstSeq() == next);
      list.add(new JournalSegment(next, JournalFiles.path(dir, next)));
    }
    JournalSegments segments = new JournalSegments(dir, retain, list, r.highWater());
    JournalHighWater mark = JournalHighWater.open(dir, r.highWater());
    EventJournal j = new EventJournal(dir, segments, mark, r.highWater());
    return new Opened(j, r.newest(), r.highWater(), r.damage());
  }

  /** Writer thread: buffers one record; the kernel gets it at the next {@link #flush}. */
  public void append(StoredEvent e) {
    if (!JournalCodec.fits(buffer.remaining())) {
      flush();
    }
    JournalCodec.encode(e, buffer, crc);
    bufferedFirst = bufferedCount == 0 ? e.seq() : bufferedFirst;
    bufferedCount++;
    lastSeq = e.seq();
  }

  /**
   * Writer thread: writes the backlog, if any, then everything appended since the last flush (one
   * write(2)), then moves the high-water mark. What cannot be written joins the backlog. Never
   * throws for a disk: the loop must not stop for one.
   */
  public void flush() {
    boolean direct = backlog.isEmpty() && io.tryLock();
    if (direct) {
      try {
        writeBuffer();
      } finally {
        io.unlock();
      }
    } else {
      toBacklog();
      retry();
    }
    mark();
  }

  /** Under io, nothing waiting: the buffer straight from its direct memory. */
  private void writeBuffer() {
    if (bufferedCount == 0) {
      return;
    }
    if (segments.write(buffer.duplicate().flip(), lastSeq)) {
      buffer.clear();
      bufferedCount = 0;
    } else {
      toBacklog(); // the segment was rolled back to before the whole buffer
    }
  }

  private void toBacklog() {
    if (bufferedCount > 0) {
      byte[] b = new byte[buffer.position()];
      buffer.flip().get(b);
      backlog.add(b, bufferedFirst, lastSeq, bufferedCount);
    }
    buffer.clear();
    bufferedCount = 0;
  }

  /** Any thread: writes what the backlog holds, unless another thread is writing right now. */
  private void retry() {
    if (backlog.isEmpty() || !io.tryLock()) {
      return;
    }
    try {
      backlog.drainTo(segments);
    } finally {
      io.unlock();
    }
  }

  private void mark() {
    highWater.write(lastSeq);
  }

  /** Any thread: events handed out but not yet in a segment (waiting for disk space). */
  public long unjournaled() {
    return backlog.count();
  }

  /**
   * Writer thread: damage to report since the last call, i.e. events that were never journaled
   * because the backlog was full; given once the backlog has been written, so the report follows
   * the events before it on disk.
   */
  public List<JournalDamage> takeDamage() {
    JournalDamage d = backlog.takeDropped();
    return d == null ? List.of() : List.of(d);
  }

  private void sync() {
    retry();
    try {
      segments.force();
      highWater.force();
    } catch (IOException e) {
      // A channel the writer just retired is closed under us; the retire task syncs it.
      log.debug("journal {}: periodic sync: {}", dir, e.toString());
    }
  }

  /** Writer thread, last: flushes, syncs and closes; stops the journal thread. */
  @Override
  public void close() {
    flush();
    background.shutdown();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
      retry();
      if (!backlog.isEmpty()) {
        log.error(
            "journal {}: {} events not journaled at close ({}); the next start reports them lost",
            dir,
            backlog.count(),
            String.valueOf(segments.lastError()));
      }
      segments.close();
      highWater.force();
      highWater.close();
    } catch (IOException e) {
      log.warn("journal {}: closing: {}", dir, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static FileChannel openForAppend(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }
}
