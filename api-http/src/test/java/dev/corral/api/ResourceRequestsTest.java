package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.task.ResourceChange;
import dev.corral.supervisor.task.ResourceLimits;
import org.junit.jupiter.api.Test;

class ResourceRequestsTest {
  private static final String ALL =
      "{\"memory\":{\"limit\":67108864},\"cpu\":{\"shares\":512,\"quota\":50000,"
          + "\"period\":100000},\"pids\":{\"limit\":64}}";

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
    assertEquals(new ResourceChange(67108864L, 512L, 50000L, 100000L, 64L), parse(ALL));
    assertEquals(
        new ResourceChange(null, null, -1L, null, null), parse("{\"cpu\":{\"quota\":-1}}"));
  }

  @Test
  void createAndPatchTakeTheSameShape() {
    assertEquals(
        new ResourceLimits(67108864L, 64L, 512L, 50000L, 100000L),
        ResourceRequests.limits(Json.parseObject(ALL)));
  }

  @Test
  void wrongTypesFractionsUnknownFieldsAndBadValuesNameTheField() {
    assertEquals("memory.limit: must be an integer", refusal("{\"memory\":{\"limit\":\"64m\"}}"));
    assertEquals(
        "memory.limit: 1.5 is not a 64-bit integer", refusal("{\"memory\":{\"limit\":1.5}}"));
    assertEquals("pids.limit: must be an integer", refusal("{\"pids\":{\"limit\":true}}"));
    assertEquals("swap: unknown field", refusal("{\"swap\":1}"));
    assertEquals("cpu.weight: unknown field", refusal("{\"cpu\":{\"weight\":1}}"));
    assertEquals("memory: must be an object", refusal("{\"memory\":67108864}"));
    assertEquals("cpuShares: unknown field", refusal("{\"cpuShares\":512}"));
    assertEquals(
        "memory.limit: -5 is below the minimum 1048576", refusal("{\"memory\":{\"limit\":-5}}"));
    assertEquals("cpu.shares: 0 is not in 2..262144", refusal("{\"cpu\":{\"shares\":0}}"));
    assertEquals("body: names no resource to update", refusal("{}"));
    assertEquals(
        "memory.limit: 99999999999999999999 is not a 64-bit integer",
        refusal("{\"memory\":{\"limit\":99999999999999999999}}"));
  }

  @Test
  void aCreatesResourcesNameTheirFieldUnderResources() {
    CorralException e =
        assertThrows(
            CorralException.class,
            () -> ResourceRequests.limits(Json.parseObject("{\"cpu\":{\"shars\":2}}")));
    assertEquals("resources.cpu.shars: unknown field", e.getMessage());
  }
}
