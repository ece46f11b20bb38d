package dev.corral.cli;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses sizes as docker does (go-units' {@code RAMInBytes}): bytes, or a number, possibly with a
 * fraction, and one of {@code k m g t p} (binary multiples), optionally followed by {@code i}
 * and/or {@code b}: {@code 512k}, {@code 0.5g}, {@code 64MiB}, {@code 1t}, {@code 100b}. A
 * fractional result is truncated to whole bytes, as docker does.
 *
 * <p>{@link #human} goes the other way for tables ({@code 1.5MiB}).
 *
 * <p>Stateless.
 */
final class Sizes implements ITypeConverter<Long> {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?", Pattern.CASE_INSENSITIVE);
  private static final String SHIFTS = "kmgtp";

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  static long parse(String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new TypeConversionException("'" + value + "' is not a size (e.g. 512k, 64m, 0.5g)");
    }
    String unit = m.group(2);
    int shift = unit == null ? 0 : 10 * (SHIFTS.indexOf(unit.toLowerCase(Locale.ROOT)) + 1);
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(shift));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new TypeConversionException("'" + value + "' is out of range");
    }
    return bytes.longValue();
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
