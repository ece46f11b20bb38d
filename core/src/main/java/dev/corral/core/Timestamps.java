package dev.corral.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one wire format for times: RFC 3339 in UTC with exactly nine fraction digits ({@code
 * 2026-11-23T16:28:46.284849964Z}), so timestamps sort as strings and event replay by time never
 * loses the nanoseconds.
 *
 * <p>Stateless; usable from any thread.
 */
public final class Timestamps {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(Instant t) {
    return t == null ? null : FORMAT.format(t);
  }
}
