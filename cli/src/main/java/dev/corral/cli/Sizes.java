package dev.corral.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses sizes like docker does: plain bytes, or a number with {@code k}, {@code m} or {@code g}
 * (binary multiples; a trailing {@code b} or {@code ib} is allowed: {@code 64m}, {@code 64MiB}).
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
}
