package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.junit.jupiter.api.Test;

class LogConfigTest {
  @Test
  void oneStderrLinePerEventJettyAtWarnTheRootAtTheChosenLevel() {
    LoggerContext context = new LoggerContext();
    LogConfig config = new LogConfig();
    config.setContext(context);
    assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, config.configure(context));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
    assertEquals("System.err", stderr.getTarget());
    assertTrue(stderr.isStarted());
    assertEquals(LogConfig.PATTERN, ((PatternLayoutEncoder) stderr.getEncoder()).getPattern());
    assertEquals(Level.WARN, context.getLogger("org.eclipse.jetty").getLevel());
    assertEquals(Level.WARN, context.getLogger("org.eclipse.jetty.server").getEffectiveLevel());
    context.stop();
  }

  @Test
  void theLevelComesFromCorralLogLevelAndDefaultsToInfo() {
    assertEquals(Level.INFO, LogConfig.level(null));
    assertEquals(Level.INFO, LogConfig.level("chatty"));
    assertEquals(Level.DEBUG, LogConfig.level("debug"));
    assertEquals(Level.WARN, LogConfig.level("WARN"));
  }

  @Test
  void underJournaldLinesCarryAPriorityPrefixAndNoTimestamp() {
    LoggerContext context = new LoggerContext();
    LogConfig config = new LogConfig();
    config.setContext(context);
    config.configure(context, true);
    ConsoleAppender<?> stderr =
        (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    LayoutWrappingEncoder<?> encoder = (LayoutWrappingEncoder<?>) stderr.getEncoder();
    assertTrue(encoder.getLayout() instanceof JournalLayout);
    context.stop();
  }

  @Test
  void journalLinesArePrefixedByTheirLevelsPriorityEveryLineOfIt() {
    LoggerContext context = new LoggerContext();
    Logger logger = context.getLogger("dev.corral.supervisor.Recovery");
    JournalLayout layout = new JournalLayout();
    layout.setContext(context);
    LoggingEvent warn =
        new LoggingEvent(
            "x", logger, Level.WARN, "container {}: gone\nsecond", null, new Object[] {"c1"});
    warn.setThreadName("corral-loop");
    assertEquals(
        "<4>[corral-loop] Recovery: container c1: gone\n<4>second\n", layout.doLayout(warn));
    LoggingEvent error =
        new LoggingEvent("x", logger, Level.ERROR, "boom", new IllegalStateException("bad"), null);
    String out = layout.doLayout(error);
    assertTrue(out.startsWith("<3>["), out);
    assertTrue(out.contains("\n<3>java.lang.IllegalStateException: bad\n"), out);
    for (String line : out.split("\n")) {
      assertTrue(line.startsWith("<3>"), line);
    }
    assertEquals(6, JournalLayout.priority(Level.INFO));
    assertEquals(7, JournalLayout.priority(Level.DEBUG));
    assertEquals(7, JournalLayout.priority(Level.TRACE));
    context.stop();
  }
}
