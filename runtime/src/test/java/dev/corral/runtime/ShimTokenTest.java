package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.core.CorralException;
import org.junit.jupiter.api.Test;

class ShimTokenTest {
  @Test
  void tokenIsSixteenHexDigitsStableAndDistinct() {
    String t = ShimToken.of("c1");
    assertEquals(16, t.length());
    assertEquals(t, ShimToken.of("c1"));
    assertNotEquals(t, ShimToken.of("c2"));
    assertEquals(true, t.matches("[0-9a-f]{16}"));
    assertEquals(16, ShimToken.of("a".repeat(76)).length());
  }

  @Test
  void invalidIdsHaveNoToken() {
    assertThrows(CorralException.class, () -> ShimToken.of("../x"));
  }
}
