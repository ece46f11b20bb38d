package dev.corral.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * corrald's logging, set up in code through logback's {@link Configurator} service rather than from
 * logback.xml: one line per event on stderr (the service manager adds its own time), Jetty at WARN,
 * the root at {@code CORRAL_LOG_LEVEL} (default INFO). Parsing the XML cost ~90 ms of every start.
 * When stderr is journald's ({@code JOURNAL_STREAM} set by systemd), lines carry a priority prefix
 * and no timestamp instead ({@link JournalLayout}).
 *
 * <p>Called once by logback, on the thread that first asks for a logger.
 */
public final class LogConfig extends ContextAwareBase implements Configurator {
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level [%thread] %logger{0}: %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    return configure(context, System.getenv("JOURNAL_STREAM") != null);
  }

  /** As {@link #configure(LoggerContext)}, for journald's format when {@code journal}. */
  ExecutionStatus configure(LoggerContext context, boolean journal) {
    Encoder<ILoggingEvent> encoder = journal ? journalEncoder(context) : patternEncoder(context);
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(System.getenv("CORRAL_LOG_LEVEL")));
    root.addAppender(stderr);
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Encoder<ILoggingEvent> patternEncoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> journalEncoder(LoggerContext context) {
    JournalLayout layout = new JournalLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }

  /** {@code CORRAL_LOG_LEVEL} as a level; unset or unknown is INFO. */
  static Level level(String name) {
    return Level.toLevel(name, Level.INFO);
  }
}
