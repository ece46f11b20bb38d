package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    write(100, List.of(bare, full, why));
    assertEquals(List.of(bare, full, why), EventJournal.open(dir, 100).events());
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

  @Test
  void aTornLastRecordIsDroppedAndTheFileTruncatedSoAppendsFollowWholeRecords() throws Exception {
    write(100, events(1, 5));
    Path seg = JournalFiles.list(dir).get(0).file();
    long size = Files.size(seg);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(size - 3);
    }
    EventJournal.Opened o = EventJournal.open(dir, 100);
    assertEquals(events(1, 4), o.events());
    o.journal().append(event(5));
    o.journal().close();
    assertEquals(events(1, 5), EventJournal.open(dir, 100).events());
  }

  @Test
  void aCorruptRecordEndsTheReadable() throws Exception {
    write(100, events(1, 4));
    Path seg = JournalFiles.list(dir).get(0).file();
    byte[] b = Files.readAllBytes(seg);
    b[b.length - 2] ^= 0x40; // a bit flip inside the last record's payload
    Files.write(seg, b);
    assertEquals(events(1, 3), EventJournal.open(dir, 100).events());
  }
}
