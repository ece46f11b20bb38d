package dev.corral.supervisor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.thread.LoopGuard;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event log driven on the test thread as its loop; consumers polled on the same thread. */
class EventLogTest {
  @TempDir Path tmp;
  final LoopGuard guard = new LoopGuard();

  EventLogTest() {
    guard.bindToCurrentThread();
  }

  static List<Event> drain(Subscriber s) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    for (Event e; (e = s.poll(Duration.ZERO)) != null; ) {
      out.add(e);
    }
    return out;
  }

  static List<Long> seqs(List<Event> events) {
    return events.stream().map(Event::seq).toList();
  }

  private void emit(EventLog log, int n) {
    for (int i = 0; i < n; i++) {
      log.emit(EventType.EXIT, ContainerRef.of("c" + i), "init", i);
    }
    log.endOfBatch();
  }

  @Test
  void eventsBecomeVisibleAtTheEndOfTheBatchNotBefore() throws Exception {
    EventLog log = new EventLog(guard, Clock.systemUTC(), 100, 100);
    Subscriber s = new Subscriber(EventFilter.ALL, 100);
    log.subscribe(s);
    assertEquals(List.of(Event.marker(EventType.LIVE, 0)), drain(s));
    log.emit(EventType.START_CONTAINER, ContainerRef.of("c1"), "init", null);
    assertEquals(List.of(), drain(s));
    log.endOfBatch();
    assertEquals(List.of(1L), seqs(drain(s)));
  }

  @Test
  void replayAfterASeqThenTheLiveMarkerThenLiveWithNoGapOrDuplicate() throws Exception {
    EventLog log = new EventLog(guard, Clock.systemUTC(), 100, 100);
    emit(log, 10);
    Subscriber s = new Subscriber(EventFilter.ALL, Start.after(7), 100);
    log.emit(
        EventType.EXIT,
        ContainerRef.of("c"),
        "init",
        0); // same batch as the subscribe: part of the replay
    log.subscribe(s);
    emit(log, 2);
    List<Event> got = drain(s);
    assertEquals(List.of(8L, 9L, 10L, 11L, 11L, 12L, 13L), seqs(got));
    assertEquals(EventType.LIVE, got.get(4).type());
  }

  @Test
  void replaySinceATimeIsStrictlyAfterItEvenWhenTheClockStandsStill() throws Exception {
    Instant t0 = Instant.parse("2026-11-23T16:28:46.284849964Z");
    Clock frozen = Clock.fixed(t0, ZoneOffset.UTC);
    EventLog log = new EventLog(guard, frozen, 100, 100);
    emit(log, 5);
    Subscriber s = new Subscriber(EventFilter.ALL, Start.since(t0.plusNanos(1)), 100);
    log.subscribe(s);
    List<Event> got = drain(s);
    assertEquals(List.of(3L, 4L, 5L, 5L), seqs(got));
    assertEquals(t0.plusNanos(2), got.get(0).timestamp()); // seq 1 at t0, then +1 ns each
    Subscriber future = new Subscriber(EventFilter.ALL, Start.since(t0.plusSeconds(60)), 100);
    log.subscribe(future);
    assertEquals(List.of(Event.marker(EventType.LIVE, 5)), drain(future));
  }

  @Test
  void aStalledSubscriberLagsWithTheSeqToResumeAfterWhileAnotherKeepsUp() throws Exception {
    EventLog log = new EventLog(guard, Clock.systemUTC(), 1000, 8);
    Subscriber stalled = new Subscriber(EventFilter.ALL, 8);
    Subscriber keen = new Subscriber(EventFilter.ALL, 8);
    log.subscribe(stalled);
    log.subscribe(keen);
    assertEquals(EventType.LIVE, stalled.poll(Duration.ZERO).type());
    List<Long> keenSeqs = new ArrayList<>();
    for (int batch = 0; batch < 10; batch++) {
      emit(log, 3);
      if (batch == 0) {
        assertEquals(
            List.of(1L, 2L),
            seqs(List.of(stalled.poll(Duration.ZERO), stalled.poll(Duration.ZERO))));
      }
      keenSeqs.addAll(seqs(drain(keen)));
    }
    assertEquals(30, keenSeqs.size() - 1); // the live marker (0) and seqs 1..30
    List<Event> rest = drain(stalled);
    Event lagged = rest.get(rest.size() - 1);
    assertEquals(EventType.LAGGED, lagged.type());
    assertEquals(2, lagged.seq(), "it was given 1 and 2: resume after 2");
    assertTrue(stalled.isDrained());
    // Resuming with after=N misses nothing.
    Subscriber resumed = new Subscriber(EventFilter.ALL, Start.after(lagged.seq()), 100);
    log.subscribe(resumed);
    assertEquals(3L, drain(resumed).get(0).seq());
  }

  @Test
  void filtersApplyToReplayAndLiveButNeverHideMarkers() throws Exception {
    EventLog log = new EventLog(guard, Clock.systemUTC(), 100, 100);
    log.emit(EventType.START_CONTAINER, ContainerRef.of("a"), "init", null);
    log.emit(EventType.START_CONTAINER, ContainerRef.of("b"), "init", null);
    log.emit(EventType.EXIT, ContainerRef.of("b"), "init", 1);
    log.endOfBatch();
    Subscriber s = new Subscriber(new EventFilter("b", Set.of(EventType.EXIT)), Start.after(0), 10);
    log.subscribe(s);
    log.emit(EventType.EXIT, ContainerRef.of("a"), "init", 0);
    log.emit(EventType.EXIT, ContainerRef.of("b"), "init", 2);
    log.endOfBatch();
    List<Event> got = drain(s);
    assertEquals(List.of(3L, 3L, 5L), seqs(got));
    assertEquals(
        List.of(EventType.EXIT, EventType.LIVE, EventType.EXIT),
        got.stream().map(Event::type).toList());
  }

  @Test
  void unsubscribingClosesAtOnceAndUpdatesTheCount() throws Exception {
    AtomicInteger count = new AtomicInteger(-1);
    EventLog log =
        new EventLog(guard, Clock.systemUTC(), EventSink.NONE, List.of(), 10, 10, count::set);
    Subscriber s = new Subscriber(EventFilter.ALL, 10);
    log.subscribe(s);
    assertEquals(1, count.get());
    log.unsubscribe(s.id());
    assertEquals(0, count.get());
    emit(log, 1);
    assertEquals(EventType.LIVE, s.poll(Duration.ZERO).type());
    assertNull(s.poll(Duration.ofSeconds(5)), "closed: returns at once, not after 5 s");
    assertTrue(s.isDrained());
  }

  @Test
  void theJournalCarriesSeqAndTimestampsAcrossARestart() throws Exception {
    Instant t0 = Instant.parse("2026-11-23T16:28:46.284849964Z");
    JournalSink first = JournalSink.open(tmp, 100);
    EventLog log =
        new EventLog(
            guard, Clock.fixed(t0, ZoneOffset.UTC), first, first.restored(), 100, 100, n -> {});
    emit(log, 3);
    log.close();
    // The clock stepped back an hour across the restart; timestamps still go forward.
    JournalSink second = JournalSink.open(tmp, 100);
    Clock behind = Clock.fixed(t0.minusSeconds(3600), ZoneOffset.UTC);
    EventLog again = new EventLog(guard, behind, second, second.restored(), 100, 100, n -> {});
    Event next = again.emit(EventType.DELETE, ContainerRef.of("c"), null, null);
    assertEquals(4, next.seq());
    assertEquals(t0.plusNanos(3), next.timestamp());
    again.endOfBatch();
    Subscriber s = new Subscriber(EventFilter.ALL, Start.after(0), 100);
    again.subscribe(s);
    assertEquals(List.of(1L, 2L, 3L, 4L, 4L), seqs(drain(s)));
    again.close();
  }

  @Test
  void aTornJournalTailIsReportedAsLostAndItsSeqIsNotHandedOutAgain() throws Exception {
    Instant t0 = Instant.parse("2026-11-23T16:28:46.284849964Z");
    JournalSink first = JournalSink.open(tmp, 100);
    EventLog log =
        new EventLog(
            guard, Clock.fixed(t0, ZoneOffset.UTC), first, first.restored(), 100, 100, n -> {});
    emit(log, 5);
    log.close();
    Path segment;
    try (var files = java.nio.file.Files.list(tmp)) {
      segment = files.filter(p -> p.toString().endsWith(".log")).sorted().toList().get(0);
    }
    try (var ch =
        java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 5); // mid-way through event 5
    }
    JournalSink second = JournalSink.open(tmp, 100);
    Clock later = Clock.fixed(t0.plusSeconds(1), ZoneOffset.UTC);
    EventLog again = new EventLog(guard, later, second, second.restored(), 100, 100, n -> {});
    assertEquals(7, again.emit(EventType.DELETE, ContainerRef.of("c"), null, null).seq());
    again.endOfBatch();
    Subscriber s = new Subscriber(EventFilter.ALL, Start.after(3), 100);
    again.subscribe(s);
    List<Event> got = drain(s);
    assertEquals(List.of(4L, 6L, 7L, 7L), seqs(got)); // then the live marker
    Event damaged = got.get(1);
    assertEquals(EventType.JOURNAL_DAMAGED, damaged.type());
    assertEquals(new Event.Lost(5, 5), damaged.lost());
    assertEquals("corrupt", damaged.reason());
    Subscriber since = new Subscriber(EventFilter.ALL, Start.since(t0.plusNanos(2)), 100);
    again.subscribe(since);
    assertEquals(List.of(4L, 6L, 7L, 7L), seqs(drain(since)));
    again.close();
    JournalSink third = JournalSink.open(tmp, 100);
    assertEquals(List.of(), third.takeDamage()); // reported once, by the event on disk
    assertEquals(7, third.lastSeq());
    third.close();
  }

  /**
   * Random interleavings of publishes, batch ends, subscribes (live, after a seq, since a time) and
   * disconnects, with consumers polling at random: every subscriber sees its replay and then live
   * events as one contiguous seq range with no duplicate, the live marker exactly at the seam, and
   * a lagged marker only as its last item, carrying the last seq it was given.
   */
  @Test
  void everySubscriberSeesAContiguousRangeWithNoDuplicates() throws Exception {
    for (long seed = 1; seed <= 40; seed++) {
      randomRun(new Random(seed), seed);
    }
    // The runs must have exercised the interesting paths, not just quiet ones.
    assertTrue(lagged > 10 && replayed > 10 && seams > 100, lagged + " " + replayed + " " + seams);
  }

  private int lagged; // test thread
  private int replayed; // test thread
  private int seams; // test thread

  private void randomRun(Random rnd, long seed) throws Exception {
    int retain = 1 + rnd.nextInt(50);
    int buffer = 1 + rnd.nextInt(20);
    EventLog log = new EventLog(guard, Clock.systemUTC(), retain, buffer);
    Map<Subscriber, List<Event>> seen = new HashMap<>();
    List<Subscriber> open = new ArrayList<>();
    for (int step = 0; step < 2000; step++) {
      int op = rnd.nextInt(100);
      if (op < 50) {
        log.emit(EventType.EXIT, ContainerRef.of("c"), "init", 0);
      } else if (op < 65) {
        log.endOfBatch();
      } else if (op < 72) {
        Start from =
            switch (rnd.nextInt(3)) {
              case 0 -> Start.LIVE;
              case 1 -> Start.after(Math.max(0, log.lastSeq() - rnd.nextInt(retain + 5)));
              default -> Start.since(Instant.now().minusNanos(rnd.nextInt(2_000_000)));
            };
        Subscriber s = new Subscriber(EventFilter.ALL, from, buffer);
        log.subscribe(s);
        seen.put(s, new ArrayList<>());
        open.add(s);
      } else if (op < 75 && !open.isEmpty()) {
        Subscriber s = open.remove(rnd.nextInt(open.size()));
        log.unsubscribe(s.id());
      } else if (!open.isEmpty()) {
        Subscriber s = open.get(rnd.nextInt(open.size()));
        for (int k = rnd.nextInt(buffer + 3); k > 0; k--) {
          Event e = s.poll(Duration.ZERO);
          if (e == null) {
            break;
          }
          seen.get(s).add(e);
        }
      }
    }
    log.endOfBatch();
    for (Map.Entry<Subscriber, List<Event>> en : seen.entrySet()) {
      seen.get(en.getKey()).addAll(drain(en.getKey()));
      check(en.getValue(), "seed " + seed);
    }
  }

  private void check(List<Event> got, String where) {
    long expect = -1;
    boolean live = false;
    for (int i = 0; i < got.size(); i++) {
      Event e = got.get(i);
      if (e.type() == EventType.LIVE) {
        assertTrue(!live, () -> where + ": two live markers " + got);
        long before = expect;
        assertTrue(before == -1 || e.seq() == before - 1, () -> where + ": seam " + got);
        live = true;
        seams++;
        replayed += i > 0 ? 1 : 0;
        expect = e.seq() + 1;
      } else if (e.type() == EventType.LAGGED) {
        assertEquals(got.size() - 1, i, () -> where + ": lagged is last " + got);
        assertEquals(expect - 1, e.seq(), () -> where + ": lagged seq " + got);
        lagged++;
      } else {
        long want = expect;
        assertTrue(want == -1 || e.seq() == want, () -> where + ": gap or duplicate " + got);
        expect = e.seq() + 1;
      }
    }
  }
}
