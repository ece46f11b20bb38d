package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalBacklogTest {
  @TempDir Path dir;

  private static byte[] encoded(long from, long to) {
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    for (StoredEvent e : EventJournalTest.events(from, to)) {
      JournalCodec.encode(e, b, new CRC32());
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  @Test
  void pastItsBoundTheBacklogDropsOneContiguousRangeAndReportsItOnceTheRestIsWritten()
      throws Exception {
    byte[] first = encoded(1, 3);
    JournalBacklog b = new JournalBacklog(dir, first.length * 2L);
    b.add(first, 1, 3, 3);
    b.add(encoded(4, 6), 4, 6, 3);
    b.add(encoded(7, 9), 7, 9, 3); // over the bound
    b.add(encoded(10, 10), 10, 10, 1); // dropped too: the backlog is not empty yet
    assertEquals(6, b.count());
    assertNull(b.takeDropped()); // not before the events ahead of the gap are written
    ArrayDeque<JournalSegment> segs =
        new ArrayDeque<>(List.of(new JournalSegment(1, JournalFiles.path(dir, 1))));
    JournalSegments s = new JournalSegments(dir, 100, segs, 0);
    assertTrue(b.drainTo(s));
    s.close();
    assertEquals(0, b.count());
    JournalDamage d = b.takeDropped();
    assertEquals(List.of("disk-full", 7L, 10L), List.of(d.reason(), d.firstLost(), d.lastLost()));
    assertNull(b.takeDropped());
    b.add(encoded(11, 11), 11, 11, 1); // accepted again
    assertEquals(1, b.count());
    EventJournal.Opened o = EventJournal.open(dir, 100);
    assertEquals(EventJournalTest.events(1, 6), o.events());
    o.journal().close();
  }
}
