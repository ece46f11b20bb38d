package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventJournalTest {
  @TempDir Path dir;

  static StoredEvent event(long seq) {
    return new StoredEvent(
        seq, 1_795_000_000L + seq, 123_456_789, "exit", "c" + seq, "init", (int) seq % 256);
  }

  static List<StoredEvent> events(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(EventJournalTest::event).toList();
  }

  private void write(int retain, List<StoredEvent> events) throws Exception {
    EventJournal j = EventJournal.open(dir, retain).journal();
    for (StoredEvent e : events) {
      j.append(e);
      if (e.seq() % 3 == 0) {
        j.flush();
      }
    }
    j.close();
  }

  @Test
  void recordsRoundTripWithNullsAndNanoseconds() throws Exception {
    StoredEvent bare = new StoredEvent(1, 5, 999_999_999, "delete", "c1", null, null);
    StoredEvent full = new StoredEvent(2, 6, 1, "exit", "c1", "exec-7", 137);
    StoredEvent why = new StoredEvent(3, 7, 2, "exit", "c1", "init", 137, "shim-lost");
    StoredEvent ns =
        new StoredEvent(4, 8, 3, "exit", "c1", "init", 0, null, null, null, "team", null);
    StoredEvent pod =
        new StoredEvent(5, 9, 4, "pod-ready", null, null, null, null, null, null, "team", "p-1");
    StoredEvent all =
        new StoredEvent(6, 9, 5, "journal-damaged", null, null, null, "x", 1L, 2L, "n", "p");
    write(100, List.of(bare, full, why, ns, pod, all));
    assertEquals(List.of(bare, full, why, ns, pod, all), EventJournal.open(dir, 100).events());
  }

  @Test
  void openKeepsTheNewestRetainedAndAppendsContinueAfterThem() throws Exception {
    write(10, events(1, 25));
    EventJournal.Opened o = EventJournal.open(dir, 10);
    assertEquals(events(16, 25), o.events());
    o.journal().append(event(26));
    o.journal().close();
    assertEquals(events(17, 26), EventJournal.open(dir, 10).events());
  }

  @Test
  void oldSegmentsAreDeletedOffTheWriterOnceTheNewestRetainedDoNotNeedThem() throws Exception {
    write(10, events(1, 95));
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> left = s.sorted().toList();
      assertTrue(left.size() <= 3, left.toString());
    }
    assertEquals(events(86, 95), EventJournal.open(dir, 10).events());
  }

  private Path segment(int i) throws Exception {
    return JournalFiles.list(dir).get(i).file();
  }

  private static List<Path> files(Path d) throws Exception {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }

  @Test
  void aTornLastRecordIsReportedLostAndItsSeqIsNeverHandedOutAgain() throws Exception {
    write(100, events(1, 5));
    Path seg = segment(0);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 3);
    }
    EventJournal.Opened o = EventJournal.open(dir, 100);
    assertEquals(events(1, 4), o.events());
    assertEquals(5, o.lastSeq());
    assertEquals(1, o.damage().size(), o.damage().toString());
    JournalDamage d = o.damage().get(0);
    assertEquals(List.of("corrupt", 5L, 5L), List.of(d.reason(), d.firstLost(), d.lastLost()));
    assertEquals(1, files(dir.resolve("damaged")).size());
    // What the event log appends first: the journal-damaged event, which reports the loss once.
    StoredEvent report =
        new StoredEvent(
            6, 1, 2, "journal-damaged", null, null, null, "corrupt", 5L, 5L, null, null);
    o.journal().append(report);
    o.journal().close();
    EventJournal.Opened again = EventJournal.open(dir, 100);
    assertEquals(List.of(events(1, 4), List.of(report)), split(again.events(), 4));
    assertEquals(List.of(), again.damage());
    assertEquals(6, again.lastSeq());
    again.journal().close();
  }

  private static List<List<StoredEvent>> split(List<StoredEvent> l, int at) {
    return List.of(l.subList(0, at), l.subList(at, l.size()));
  }

  @Test
  void aFlippedByteMidSegmentLosesOneRecordAndTheValidOnesAfterItAreRead() throws Exception {
    write(100, events(1, 30));
    Path seg = segment(0);
    byte[] b = Files.readAllBytes(seg);
    ByteBuffer buf = ByteBuffer.wrap(b);
    for (int i = 0; i < 10; i++) {
      JournalCodec.decode(buf);
    }
    int at = buf.position();
    JournalCodec.decode(buf);
    int record = buf.position() - at;
    b[at + record / 2] ^= 0x40; // inside record 11
    Files.write(seg, b);
    EventJournal.Opened o = EventJournal.open(dir, 100);
    List<StoredEvent> read = o.events();
    assertEquals(29, read.size());
    assertEquals(List.of(events(1, 10), events(12, 30)), split(read, 10));
    assertEquals(30, o.lastSeq());
    JournalDamage d = o.damage().get(0);
    assertEquals(List.of("corrupt", 11L, 11L), List.of(d.reason(), d.firstLost(), d.lastLost()));
    assertEquals(1, o.damage().size());
    Path saved = files(dir.resolve("damaged")).get(0);
    assertEquals(record, Files.size(saved));
    o.journal().close();
    EventJournal.Opened again = EventJournal.open(dir, 100);
    assertEquals(read, again.events());
    // Repaired: the bytes are not found again; the gap stays until an event on disk reports it.
    assertEquals(List.of("missing"), again.damage().stream().map(JournalDamage::reason).toList());
    assertEquals(1, files(dir.resolve("damaged")).size());
    again.journal().close();
  }

  @Test
  void aZeroedSegmentNeverMovesSeqBackwards() throws Exception {
    write(100, events(1, 20));
    Path seg = segment(0);
    Files.write(seg, new byte[(int) Files.size(seg)]);
    EventJournal.Opened o = EventJournal.open(dir, 100);
    assertEquals(List.of(), o.events());
    assertEquals(20, o.lastSeq());
    JournalDamage d = o.damage().get(0);
    assertEquals(List.of("corrupt", 1L, 20L), List.of(d.reason(), d.firstLost(), d.lastLost()));
    o.journal().append(event(21));
    o.journal().close();
    EventJournal.Opened again = EventJournal.open(dir, 100);
    assertEquals(List.of(event(21)), again.events());
    assertEquals(21, again.lastSeq());
    again.journal().close();
  }

  @Test
  void withEverySegmentGoneSeqStillContinuesAfterTheHighWaterMark() throws Exception {
    write(100, events(1, 12));
    for (JournalSegment s : JournalFiles.list(dir)) {
      Files.delete(s.file());
    }
    EventJournal.Opened o = EventJournal.open(dir, 100);
    assertEquals(12, o.lastSeq());
    JournalDamage d = o.damage().get(0);
    assertEquals(List.of("missing", 1L, 12L), List.of(d.reason(), d.firstLost(), d.lastLost()));
    o.journal().close();
  }

  @Test
  void withoutItsHighWaterFileTheJournalContinuesFromItsSegments() throws Exception {
    write(10, events(1, 25));
    Files.delete(dir.resolve(JournalHighWater.NAME));
    EventJournal.Opened o = EventJournal.open(dir, 10);
    assertEquals(25, o.lastSeq());
    assertEquals(List.of(), o.damage());
    o.journal().close();
  }

  @Test
  void aMissingSegmentIsAGapReportedUntilAnEventOnDiskReportsIt() throws Exception {
    for (long first = 1; first <= 31; first += 5) {
      ByteBuffer b = ByteBuffer.allocate(4096);
      for (StoredEvent e : events(first, first + 4)) {
        JournalCodec.encode(e, b, new java.util.zip.CRC32());
      }
      Files.write(JournalFiles.path(dir, first), Arrays.copyOf(b.array(), b.position()));
    }
    Files.delete(JournalFiles.path(dir, 16));
    EventJournal.Opened o = EventJournal.open(dir, 10);
    assertEquals(
        List.of(16L, 20L), List.of(o.damage().get(0).firstLost(), o.damage().get(0).lastLost()));
    JournalDamage d = o.damage().get(0);
    assertEquals("missing", d.reason());
    assertEquals(35, o.lastSeq());
    StoredEvent report =
        new StoredEvent(
            36,
            1,
            2,
            "journal-damaged",
            null,
            null,
            null,
            "missing",
            d.firstLost(),
            d.lastLost(),
            null,
            null);
    o.journal().append(report);
    o.journal().close();
    EventJournal.Opened again = EventJournal.open(dir, 10);
    assertEquals(List.of(), again.damage());
    assertEquals(report, again.events().get(again.events().size() - 1));
    again.journal().close();
  }

  @Test
  void aRecordThatRepeatsAnOlderSeqIsMovedAsideNotAcceptedAndTheRestIsRead() throws Exception {
    write(100, events(1, 3));
    EventJournal j = EventJournal.open(dir, 100).journal();
    j.close();
    // What the old journal wrote after a torn tail: a seq handed out twice.
    Path seg = segment(0);
    byte[] twice = Files.readAllBytes(seg);
    Files.write(seg, twice, StandardOpenOption.APPEND);
    EventJournal.Opened o = EventJournal.open(dir, 100);
    assertEquals(events(1, 3), o.events());
    assertEquals("corrupt", o.damage().get(0).reason());
    assertEquals(null, o.damage().get(0).firstLost());
    o.journal().close();
  }
}
