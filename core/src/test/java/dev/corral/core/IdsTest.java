package dev.corral.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {
  @ParameterizedTest
  @ValueSource(strings = {"c1", "A", "web.1", "a_b-c", "0"})
  void acceptsValidIds(String id) {
    assertEquals(id, Ids.require("id", id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../x", "/", "a/b", ".hidden", "-x", "a b", "é"})
  void rejectsInvalidIdsNamingTheField(String id) {
    CorralException e = assertThrows(CorralException.class, () -> Ids.require("id", id));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals(true, e.getMessage().startsWith("id: "), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void lengthLimitIs76() {
    Ids.require("id", "a".repeat(76));
    assertThrows(CorralException.class, () -> Ids.require("id", "a".repeat(77)));
  }

  @org.junit.jupiter.api.Test
  void nullIsRejected() {
    assertThrows(CorralException.class, () -> Ids.require("id", null));
  }
}
