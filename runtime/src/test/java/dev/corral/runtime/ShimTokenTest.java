package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import org.junit.jupiter.api.Test;

class ShimTokenTest {
  @Test
  void tokenIsSixteenHexDigitsStableAndDistinct() {
    String t = ShimToken.of(ContainerRef.of("c1"));
    assertEquals(16, t.length());
    assertEquals(t, ShimToken.of(ContainerRef.of("c1")));
    assertNotEquals(t, ShimToken.of(ContainerRef.of("c2")));
    assertEquals(true, t.matches("[0-9a-f]{16}"));
    assertEquals(16, ShimToken.of(ContainerRef.of("a".repeat(76))).length());
  }

  @Test
  void invalidIdsHaveNoToken() {
    assertThrows(IllegalArgumentException.class, () -> ContainerRef.of("../x"));
    assertThrows(CorralException.class, () -> ShimToken.ofExec(ContainerRef.of("c1"), "../x"));
  }

  @Test
  void theDefaultNamespaceKeepsTheTokensOfBeforeAndOthersDifferFromIt() {
    // A container from before namespaces keeps the token of its bare id: its link still matches.
    assertEquals("d0f631ca1ddba8db", ShimToken.of(ContainerRef.of("c1"))); // sha-256 of "c1"
    String plain = ShimToken.of(ContainerRef.of("c1"));
    String team = ShimToken.of(new ContainerRef("team", "c1"));
    assertNotEquals(plain, team);
    assertNotEquals(team, ShimToken.of(new ContainerRef("c1", "team")));
    assertNotEquals(
        ShimToken.ofExec(ContainerRef.of("team"), "c1"),
        ShimToken.of(new ContainerRef("team", "c1")));
  }
}
