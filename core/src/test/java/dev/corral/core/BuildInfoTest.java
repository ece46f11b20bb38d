package dev.corral.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BuildInfoTest {
  @Test
  void theVersionIsTheOneMavenBuilt() {
    // Filtered from the pom: a semantic version, never the unfiltered placeholder.
    assertTrue(BuildInfo.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), BuildInfo.version());
  }
}
