package dev.corral.state;

/**
 * Damage the journal found or caused, to be reported as a {@code journal-damaged} event: bytes that
 * were not whole records (moved aside to {@code DIR/damaged/}), seqs that were handed out but are
 * in no segment, or events a full disk kept from being journaled. Immutable.
 *
 * @param reason {@code corrupt} (bad bytes were moved aside), {@code missing} (a gap in seq with no
 *     bytes to show for it) or {@code disk-full} (events not journaled, see {@link EventJournal})
 * @param firstLost first seq lost, or null when no event was lost
 * @param lastLost last seq lost, or null when no event was lost
 * @param detail what happened and where, for the log
 */
public record JournalDamage(String reason, Long firstLost, Long lastLost, String detail) {
  public JournalDamage {
    if ((firstLost == null) != (lastLost == null)) {
      throw new IllegalArgumentException("journal damage: lost range needs both ends");
    }
  }

  /** Whether this damage's lost range lies inside [first, last]. */
  boolean within(long first, long last) {
    return firstLost != null && firstLost >= first && lastLost <= last;
  }
}
