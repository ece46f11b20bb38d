package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
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
}
