package dev.corral.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses sizes like docker does: plain bytes, or a number with {@code k}, {@code m} or {@code g}
 * (binary multiples; a trailing {@code b} or {@code ib} is allowed: {@code 64m}, {@code 64MiB}).
 *
 * <p>{@link #human} goes the other way for tables ({@code 1.5MiB}).
 *
 * <p>Stateless.
 */
final class Sizes implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    return parse(value);
  }

  static long parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT).replaceFirst("i?b$", "");
    if (v.isEmpty()) {
      throw new TypeConversionException("'" + value + "' is not a size");
    }
    int shift =
        switch (v.charAt(v.length() - 1)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          default -> 0;
        };
    String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
    try {
      long n = Long.parseLong(digits);
      if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
        throw new TypeConversionException("'" + value + "' is out of range");
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a size (e.g. 64m)");
    }
  }

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  /** Bytes for people: {@code 512B}, {@code 1.5KiB}, {@code 64MiB} (one decimal, none if .0). */
  static String human(long bytes) {
    int unit = 0;
    double v = bytes;
    while (v >= 1024 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    String n = String.format(Locale.ROOT, "%.1f", v);
    return (n.endsWith(".0") ? n.substring(0, n.length() - 2) : n) + UNITS[unit];
  }
}
