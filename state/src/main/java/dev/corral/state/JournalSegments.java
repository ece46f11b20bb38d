package dev.corral.state;

import dev.corral.core.DiskFull;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's segment files on the write side: appends whole batches of records to the open
 * segment, rolls to a new one every {@code retain} records and retires (on the journal thread)
 * those the newest {@code retain} events no longer need, so compaction never rewrites a file.
 *
 * <p>A write that fails is rolled back: the file is truncated to the end of its last whole record
 * before anything else is written to it. Truncating frees space, so it works on a full disk; if it
 * fails all the same, nothing is written until it has succeeded, so a torn record is never followed
 * by good ones.
 *
 * <p>Thread contract: {@link #write} and {@link #close} under the journal's io lock; {@link #force}
 * and {@link #lastError} from any thread.
 */
final class JournalSegments {
  private static final Logger log = LoggerFactory.getLogger(JournalSegments.class);

  private final Path dir;
  private final int retain;
  private final ArrayDeque<JournalSegment> segments; // under io; oldest first, last is open
  private volatile FileChannel channel; // written under io, synced by the journal thread
  private Executor background = Runnable::run; // set once before the first write
  private long good; // under io: size of the open segment up to its last whole record
  private long writtenSeq; // under io: last seq in a segment
  private boolean torn; // under io: a failed write is not rolled back yet
  private volatile Throwable lastError; // the last write failure, null once writes succeed

  JournalSegments(Path dir, int retain, ArrayDeque<JournalSegment> segments, long writtenSeq)
      throws IOException {
    this.dir = dir;
    this.retain = retain;
    this.segments = segments;
    this.writtenSeq = writtenSeq;
    this.channel = EventJournal.openForAppend(segments.getLast().file());
    this.good = channel.size();
  }

  void useBackground(Executor e) {
    this.background = e;
  }

  /**
   * Under io: appends {@code records} (whole records ending with seq {@code last}); all or none.
   */
  boolean write(ByteBuffer records, long last) {
    if (torn && !rollback()) {
      return false;
    }
    int n = records.remaining();
    try {
      while (records.hasRemaining()) {
        channel.write(records);
      }
    } catch (IOException e) {
      failed(e);
      rollback();
      return false;
    }
    good += n;
    writtenSeq = last;
    if (lastError != null) {
      log.info("journal {}: writable again; journaled up to seq {}", dir, last);
      lastError = null;
    }
    if (writtenSeq - segments.getLast().firstSeq() + 1 >= retain) {
      roll();
    }
    return true;
  }

  private void failed(IOException e) {
    if (lastError == null) {
      String full = DiskFull.describe(e);
      log.error(
          "journal {}: write failed ({}); events wait in memory and are written when it works"
              + " again",
          segments.getLast().file(),
          full != null ? full : e.toString());
    }
    lastError = e;
  }

  private boolean rollback() {
    try {
      channel.truncate(good);
      torn = false;
    } catch (IOException e) {
      torn = true;
      log.warn("journal {}: cannot roll back to offset {}: {}", dir, good, e.toString());
    }
    return !torn;
  }

  private void roll() {
    JournalSegment next =
        new JournalSegment(writtenSeq + 1, JournalFiles.path(dir, writtenSeq + 1));
    FileChannel old = channel;
    try {
      channel = EventJournal.openForAppend(next.file());
      good = channel.size();
    } catch (IOException e) {
      log.warn("journal {}: cannot start segment {}; appending to the old one", dir, next, e);
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

  private void submit(Runnable r) {
    try {
      background.execute(r);
    } catch (RejectedExecutionException closed) {
      r.run();
    }
  }

  void force() throws IOException {
    channel.force(false);
  }

  Throwable lastError() {
    return lastError;
  }

  /** Under io, last: syncs and closes the open segment. */
  void close() throws IOException {
    channel.force(false);
    channel.close();
  }
}
