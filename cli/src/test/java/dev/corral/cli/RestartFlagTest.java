package dev.corral.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

class RestartFlagTest {
  private final CommandSpec spec = new CommandLine(new StopCommand()).getCommandSpec();

  @Test
  void dockersSyntaxBecomesTheApisPolicyObject() {
    assertEquals("{\"name\":\"always\"}", RestartFlag.policy(spec, "always").toString());
    assertEquals(
        "{\"name\":\"on-failure\",\"maximumRetryCount\":3}",
        RestartFlag.policy(spec, "on-failure:3").toString());
    // The daemon judges names and counts, and names the field.
    assertEquals(
        "{\"name\":\"always\",\"maximumRetryCount\":-1}",
        RestartFlag.policy(spec, "always:-1").toString());
  }

  @Test
  void aCountThatIsNotANumberIsAUsageError() {
    assertThrows(ParameterException.class, () -> RestartFlag.policy(spec, "on-failure:many"));
  }
}
