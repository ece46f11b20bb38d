package dev.corral.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

/**
 * Log lines for journald, used when stderr is the journal ({@code JOURNAL_STREAM} set): no
 * timestamp (the journal stamps each entry itself) and a syslog priority prefix, {@code <3>} error,
 * {@code <4>} warning, {@code <6>} info, {@code <7>} debug, on every line, so {@code journalctl -p
 * warning} filters and a stack trace stays at its event's priority (see sd-daemon(3)).
 *
 * <p>Called by logback on whichever thread logs; stateless.
 */
final class JournalLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent e) {
    String prefix = "<" + priority(e.getLevel()) + ">";
    StringBuilder text =
        new StringBuilder()
            .append('[')
            .append(e.getThreadName())
            .append("] ")
            .append(shortName(e.getLoggerName()))
            .append(": ")
            .append(e.getFormattedMessage());
    IThrowableProxy thrown = e.getThrowableProxy();
    if (thrown != null) {
      text.append('\n').append(ThrowableProxyUtil.asString(thrown));
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (String line : text.toString().split("\n", -1)) {
      out.append(prefix).append(line).append('\n');
    }
    return out.toString();
  }

  /** The syslog priority of a level. */
  static int priority(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> 3;
      case Level.WARN_INT -> 4;
      case Level.INFO_INT -> 6;
      default -> 7;
    };
  }

  private static String shortName(String logger) {
    return logger.substring(logger.lastIndexOf('.') + 1);
  }
}
