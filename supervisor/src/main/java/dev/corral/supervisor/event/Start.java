package dev.corral.supervisor.event;

import java.time.Instant;

/**
 * Where a subscriber's replay starts: after a seq, strictly after a time, or nowhere (live only).
 * Immutable.
 *
 * @param afterSeq replay events with a greater seq (-1: not by seq)
 * @param since replay events with a later timestamp (null: not by time)
 */
public record Start(long afterSeq, Instant since) {
  public static final Start LIVE = new Start(-1, null);

  public static Start after(long seq) {
    return new Start(seq, null);
  }

  public static Start since(Instant t) {
    return new Start(-1, t);
  }

  boolean replays() {
    return afterSeq >= 0 || since != null;
  }
}
