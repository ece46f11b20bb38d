package dev.corral.supervisor.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.supervisor.task.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffAndPolicyTest {
  private static final RestartPolicy ALWAYS = new RestartPolicy("always", 0);
  private static final RestartPolicy UNLESS = new RestartPolicy("unless-stopped", 0);

  @Test
  void backoffDoublesFromItsFloorUpToItsMax() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    List<Long> ms = IntStream.range(0, 7).mapToObj(b::delay).map(Duration::toMillis).toList();
    assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L), ms);
    assertEquals(Duration.ofMinutes(1), Backoff.DEFAULTS.delay(Integer.MAX_VALUE));
  }

  @Test
  void aRunOfTenSecondsResetsTheBackoff() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertTrue(Backoff.ranLongEnough(t, t.plusSeconds(10)));
    assertFalse(Backoff.ranLongEnough(t, t.plusMillis(9_999)));
    assertFalse(Backoff.ranLongEnough(null, t));
  }

  @Test
  void badBackoffOptionsNameTheOption() {
    assertTrue(
        message(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
            .startsWith("restart-backoff:"));
    assertTrue(
        message(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
            .startsWith("restart-backoff-max:"));
  }

  @Test
  void onFailureRestartsOnlyAFailureAndAtMostItsCount() {
    RestartPolicy p = new RestartPolicy("on-failure", 3);
    assertFalse(p.restartsAfter(0, 0, false));
    assertTrue(p.restartsAfter(1, 0, false));
    assertTrue(p.restartsAfter(137, 2, false));
    assertFalse(p.restartsAfter(1, 3, false));
    assertTrue(new RestartPolicy("on-failure", 0).restartsAfter(1, 1_000_000, false));
  }

  @Test
  void aUsersStopSuppressesEveryPolicy() {
    for (RestartPolicy p : List.of(ALWAYS, UNLESS, new RestartPolicy("on-failure", 0))) {
      assertFalse(p.restartsAfter(1, 0, true), p.name());
      assertTrue(p.restartsAfter(1, 0, false), p.name());
    }
    assertFalse(RestartPolicy.NO.restartsAfter(1, 0, false));
  }

  @Test
  void atDaemonStartAlwaysComesBackButUnlessStoppedStaysStopped() {
    assertTrue(ALWAYS.restartsAtDaemonStart(0, 5, true));
    assertFalse(UNLESS.restartsAtDaemonStart(0, 0, true));
    assertTrue(UNLESS.restartsAtDaemonStart(0, 0, false));
    assertFalse(new RestartPolicy("on-failure", 2).restartsAtDaemonStart(1, 2, false));
    assertFalse(RestartPolicy.NO.restartsAtDaemonStart(1, 0, false));
  }

  @Test
  void badPoliciesNameTheirField() {
    assertTrue(message(() -> new RestartPolicy("sometimes", 0)).startsWith("restartPolicy.name:"));
    assertTrue(
        message(() -> new RestartPolicy("on-failure", -1))
            .startsWith("restartPolicy.maximumRetryCount:"));
    assertTrue(
        message(() -> new RestartPolicy("always", 3))
            .startsWith("restartPolicy.maximumRetryCount:"));
  }

  private static String message(Runnable r) {
    return assertThrows(CorralException.class, r::run).getMessage();
  }
}
