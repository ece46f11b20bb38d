package dev.corral.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal's segments at open and repairs them without throwing away anything valid: a
 * stretch of bytes that is not a whole record (torn, flipped, zeroed, or a record that repeats an
 * older seq) is copied to {@code DIR/damaged/<segment>.<offset>}, the reader resynchronises on the
 * next valid record and goes on, and the segment is rewritten with its valid records only, so the
 * damage is reported once. Each stretch of damage, and each gap in seq, becomes one {@link
 * JournalDamage} with the seqs it lost, measured against the high-water mark for the tail.
 *
 * <p>Resynchronising tries every byte offset; a false match needs a plausible length and a matching
 * CRC-32 and a seq above the last one read, which random bytes essentially never give.
 *
 * <p>Single-use, on the thread that opens the journal.
 */
final class JournalReader {
  private static final Logger log = LoggerFactory.getLogger(JournalReader.class);

  /** What the segments held. */
  record Result(
      List<StoredEvent> newest,
      long highWater,
      List<JournalDamage> damage,
      List<JournalSegment> segments,
      boolean lastDamaged) {}

  private final Path dir;
  private final int retain;
  private final ArrayDeque<StoredEvent> newest = new ArrayDeque<>();
  private final List<JournalDamage> damage = new ArrayList<>();
  private final List<StoredEvent> reports = new ArrayList<>(); // stored journal-damaged events
  private final List<String> moved = new ArrayList<>(); // damage not yet given a seq range
  private long last; // last seq read
  private long next; // the seq the next record should have; 0 before the first segment

  private JournalReader(Path dir, int retain) {
    this.dir = dir;
    this.retain = retain;
  }

  static Result read(Path dir, List<JournalSegment> segments, int retain) throws IOException {
    return new JournalReader(dir, retain).readAll(segments);
  }

  private Result readAll(List<JournalSegment> segments) throws IOException {
    List<JournalSegment> kept = new ArrayList<>();
    boolean lastDamaged = false;
    for (JournalSegment s : segments) {
      next = next == 0 ? s.firstSeq() : next;
      lastDamaged = segment(s);
      if (Files.exists(s.file())) {
        kept.add(s);
      }
    }
    long named = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).firstSeq() - 1;
    long highWater = Math.max(Math.max(last, named), JournalHighWater.read(dir));
    next = next == 0 ? 1 : next;
    settle(highWater + 1);
    List<JournalDamage> fresh = damage.stream().filter(d -> !reported(d)).toList();
    return new Result(List.copyOf(newest), highWater, fresh, kept, lastDamaged);
  }

  /** Reads one segment; true when it held damage. */
  private boolean segment(JournalSegment s) throws IOException {
    byte[] b = Files.readAllBytes(s.file());
    ByteBuffer buf = ByteBuffer.wrap(b);
    List<int[]> good = new ArrayList<>();
    int bad = -1;
    boolean saved = true;
    boolean damaged = false;
    while (buf.position() < b.length) {
      int at = buf.position();
      StoredEvent e = JournalCodec.decode(buf);
      if (e != null && e.seq() > last) {
        if (bad >= 0) {
          saved &= moveAside(s, b, bad, at);
          bad = -1;
        }
        accept(e);
        good.add(new int[] {at, buf.position()});
      } else {
        damaged = true;
        bad = bad < 0 ? at : bad;
        buf.position(e == null ? at + 1 : buf.position());
      }
    }
    if (bad >= 0) {
      saved &= moveAside(s, b, bad, b.length);
    }
    if (damaged && saved) {
      repair(s, b, good);
    }
    return damaged;
  }

  private void accept(StoredEvent e) {
    settle(e.seq());
    last = e.seq();
    next = last + 1;
    if (e.lostFirst() != null) {
      reports.add(e);
    }
    newest.addLast(e);
    if (newest.size() > retain) {
      newest.removeFirst();
    }
  }

  /** The next seq present is {@code upTo}: whatever lies between is lost, and reported. */
  private void settle(long upTo) {
    boolean lost = upTo > next;
    if (!lost && moved.isEmpty()) {
      return;
    }
    String what = moved.isEmpty() ? "no record on disk" : String.join("; ", moved);
    String range = lost ? "events " + next + " to " + (upTo - 1) + " lost" : "no event lost";
    log.warn("journal {}: {}: {}", dir, range, what);
    damage.add(
        new JournalDamage(
            moved.isEmpty() ? "missing" : "corrupt",
            lost ? next : null,
            lost ? upTo - 1 : null,
            range + ": " + what));
    moved.clear();
  }

  /** Keeps the bytes [from, to) for inspection; false when they could not be saved. */
  private boolean moveAside(JournalSegment s, byte[] b, int from, int to) {
    Path damaged = dir.resolve("damaged").resolve(s.file().getFileName() + "." + from);
    try {
      Files.createDirectories(damaged.getParent());
      AtomicFiles.write(damaged, Arrays.copyOfRange(b, from, to));
      moved.add(String.format("%d bytes at %s:%d moved to %s", to - from, s.file(), from, damaged));
      return true;
    } catch (IOException e) {
      moved.add(String.format("%d bytes at %s:%d (not saved: %s)", to - from, s.file(), from, e));
      return false;
    }
  }

  /** Rewrites the segment with its valid records only (deletes it when none is left). */
  private void repair(JournalSegment s, byte[] b, List<int[]> good) {
    try {
      if (good.isEmpty()) {
        Files.delete(s.file());
        AtomicFiles.fsyncDir(dir);
        return;
      }
      ByteBuffer out = ByteBuffer.allocate(good.stream().mapToInt(r -> r[1] - r[0]).sum());
      good.forEach(r -> out.put(b, r[0], r[1] - r[0]));
      AtomicFiles.write(s.file(), out.array());
    } catch (IOException e) {
      log.warn(
          "journal {}: cannot repair (reported again at next start): {}", s.file(), e.toString());
    }
  }

  /** A gap that a journal-damaged event on disk already reported is not news. */
  private boolean reported(JournalDamage d) {
    if (!d.reason().equals("missing")) {
      return false;
    }
    return reports.stream().anyMatch(r -> d.within(r.lostFirst(), r.lostLast()));
  }
}
