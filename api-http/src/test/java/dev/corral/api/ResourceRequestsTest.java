package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.task.ResourceChange;
import org.junit.jupiter.api.Test;

class ResourceRequestsTest {
  private static ResourceChange parse(String body) {
    return LiveRoutes.parseResources(Json.parseObject(body));
  }

  private static String refusal(String body) {
    CorralException e = assertThrows(CorralException.class, () -> parse(body));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    return e.getMessage();
  }

  @Test
  void everyFieldIsReadAsALong() {
    assertEquals(
        new ResourceChange(67108864L, 512L, 50000L, 100000L, 64L),
        parse(
            "{\"memory\":67108864,\"cpuShares\":512,\"cpuQuota\":50000,"
                + "\"cpuPeriod\":100000,\"pids\":64}"));
    assertEquals(new ResourceChange(null, null, -1L, null, null), parse("{\"cpuQuota\":-1}"));
  }

  @Test
  void wrongTypesFractionsUnknownFieldsAndBadValuesNameTheField() {
    assertEquals("memory: must be an integer", refusal("{\"memory\":\"64m\"}"));
    assertEquals("memory: 1.5 is not a 64-bit integer", refusal("{\"memory\":1.5}"));
    assertEquals("pids: must be an integer", refusal("{\"pids\":true}"));
    assertEquals("swap: unknown field", refusal("{\"swap\":1}"));
    assertEquals("memory: -5 is below the minimum 1048576", refusal("{\"memory\":-5}"));
    assertEquals("cpuShares: 0 is not in 2..262144", refusal("{\"cpuShares\":0}"));
    assertEquals("body: names no resource to update", refusal("{}"));
    assertEquals(
        "memory: 99999999999999999999 is not a 64-bit integer",
        refusal("{\"memory\":99999999999999999999}"));
  }
}
