package dev.corral.supervisor;

import dev.corral.core.ContainerRef;
import dev.corral.metrics.MetricCatalog;
import dev.corral.monitor.Watch;
import dev.corral.state.StateDir;
import dev.corral.supervisor.event.Event;
import dev.corral.supervisor.event.EventFilter;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.event.Subscriber;
import dev.corral.supervisor.loop.EventLoop;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.Notification;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.task.Task;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives the loop on the test thread: worker jobs and published notifications are queued and run
 * only when the test says so, so every interleaving is chosen by the test.
 */
final class Harness {
  final LoopGuard guard = new LoopGuard();
  final FakeRuntime runtime = new FakeRuntime();
  final MetricCatalog metrics = new MetricCatalog();
  final ArrayDeque<Runnable> jobs = new ArrayDeque<>();
  final ArrayDeque<Notification> published = new ArrayDeque<>();
  final Map<String, Watch> watched = new ConcurrentHashMap<>();
  final StateDir state;
  final EventLoop loop;
  final EventLog events;
  final Subscriber all;

  /** What the loop asked the timer for, in order; a test fires one with {@link #fire}. */
  record Delayed(Duration delay, Runnable action) {}

  final ArrayDeque<Delayed> delayed = new ArrayDeque<>();

  Harness(Path root) throws IOException {
    guard.bindToCurrentThread();
    state = StateDir.open(root);
    events = new EventLog(guard, Clock.systemUTC(), 10_000, 1000);
    ExitWatcher watcher =
        new ExitWatcher() {
          @Override
          public void watch(Watch w) {
            watched.put(w.key(), w);
          }

          @Override
          public void unwatch(String key) {
            watched.remove(key);
          }
        };
    loop =
        new EventLoop(
            new EventLoop.Parts(
                guard,
                new ContainerTable(guard),
                events,
                new StatusWriter(state, Runnable::run),
                jobs::add,
                published::add,
                watcher,
                runtime,
                state,
                metrics,
                Clock.systemUTC(),
                "/corral",
                (d, action) -> delayed.add(new Delayed(d, action)),
                new dev.corral.supervisor.restart.Backoff(
                    Duration.ofMillis(100), Duration.ofMillis(1000))));
    all = new Subscriber(EventFilter.ALL, 1000);
    events.subscribe(all);
  }

  /** One task as its own ring batch: handled, then the end-of-batch hook. */
  void handle(Task t) {
    loop.handle(t);
    loop.endOfBatch();
  }

  /** Runs queued worker jobs and feeds their notifications to the loop until both are empty. */
  void settle() {
    while (!jobs.isEmpty() || !published.isEmpty()) {
      if (!jobs.isEmpty()) {
        jobs.poll().run();
      } else {
        handle(published.poll());
      }
    }
  }

  /** The oldest timer the loop set ends now: its task is published, and everything settles. */
  Duration fire() {
    Delayed d = delayed.poll();
    if (d == null) {
      throw new AssertionError("no timer was set");
    }
    d.action().run();
    settle();
    return d.delay();
  }

  Reply<ContainerView> start(String id, Path bundle) {
    StartTask t =
        new StartTask(
            new CreateRequest(ContainerRef.of(id), bundle, Map.of(), false, false, List.of()),
            new Reply<>());
    handle(t);
    return t.reply();
  }

  ContainerView startRunning(String id, Path bundle) {
    Reply<ContainerView> r = start(id, bundle);
    settle();
    return r.await(Duration.ofSeconds(1));
  }

  void exit(String id, int code) {
    handle(new ExitTask(ContainerRef.of(id), "init", OptionalInt.of(code), Instant.now()));
  }

  /** Types of the events seen so far (the live marker excluded). */
  List<String> eventTypes() throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (Event e; (e = all.poll(Duration.ZERO)) != null; ) {
      if (e.type() != EventType.LIVE) {
        out.add(e.type().wireName() + (e.status() == null ? "" : "(" + e.status() + ")"));
      }
    }
    return out;
  }

  static Path bundle(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("rootfs"));
    Files.writeString(
        dir.resolve("config.json"),
        "{\"process\":{\"args\":[\"true\"]},\"root\":{\"path\":\"rootfs\"}}");
    return dir;
  }
}
