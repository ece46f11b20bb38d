package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import org.junit.jupiter.api.Test;

/** The one JSON integer parser every request body uses; its errors name the field's full path. */
class JsonIntegerTest {
  private static Long parse(String body) {
    return Json.integer(Json.parseObject(body), "limit", "resources.memory.limit");
  }

  private static String refusal(String body) {
    CorralException e = assertThrows(CorralException.class, () -> parse(body));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    return e.getMessage();
  }

  @Test
  void integersUpToALongAreTakenAndAbsentOrNullIsNull() {
    assertEquals(67108864L, parse("{\"limit\":67108864}"));
    assertEquals(Long.MAX_VALUE, parse("{\"limit\":9223372036854775807}"));
    assertEquals(-1L, parse("{\"limit\":-1}"));
    assertEquals(5L, parse("{\"limit\":5.0}"));
    assertNull(parse("{}"));
    assertNull(parse("{\"limit\":null}"));
  }

  @Test
  void anythingElseIsRefusedNamingTheFullField() {
    assertEquals("resources.memory.limit: must be an integer", refusal("{\"limit\":\"64m\"}"));
    assertEquals("resources.memory.limit: must be an integer", refusal("{\"limit\":true}"));
    assertEquals("resources.memory.limit: must be an integer", refusal("{\"limit\":[1]}"));
    assertEquals("resources.memory.limit: 1.5 is not a 64-bit integer", refusal("{\"limit\":1.5}"));
    assertEquals(
        "resources.memory.limit: 9223372036854775808 is not a 64-bit integer",
        refusal("{\"limit\":9223372036854775808}"));
  }

  @Test
  void routesUseItWithTheirOwnPaths() {
    CorralException user =
        assertThrows(
            CorralException.class,
            () ->
                ProcessRoutes.parse(
                    Json.parseObject("{\"id\":\"e\",\"args\":[\"sh\"],\"user\":{\"uid\":1.5}}")));
    assertEquals("user.uid: 1.5 is not a 64-bit integer", user.getMessage());
    CorralException height =
        assertThrows(
            CorralException.class,
            () ->
                ProcessRoutes.parse(
                    Json.parseObject(
                        "{\"id\":\"e\",\"args\":[\"sh\"],\"terminal\":true,"
                            + "\"consoleSize\":{\"height\":\"x\",\"width\":80}}")));
    assertEquals("consoleSize.height: must be an integer", height.getMessage());
  }
}
