package dev.corral.supervisor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateRequestLabelsTest {
  private static CreateRequest create(Map<String, String> labels) {
    return new CreateRequest(ContainerRef.of("c1"), Path.of("/b"), labels, false, false, List.of());
  }

  private static String refused(Map<String, String> labels) {
    CorralException e = assertThrows(CorralException.class, () -> create(labels));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    return e.getMessage();
  }

  private static Map<String, String> many(int n) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("k" + i, "v");
    }
    return m;
  }

  @Test
  void sixtyFourLabelsAtTheSizeLimitsAreAccepted() {
    Map<String, String> labels = many(63);
    labels.put("k".repeat(128), "v".repeat(4096));
    assertEquals(64, create(labels).labels().size());
  }

  @Test
  void aSixtyFifthLabelIsRefused() {
    assertEquals("labels: 65 labels, at most 64 are allowed", refused(many(65)));
  }

  @Test
  void anOverlongKeyIsNamedByItsStart() {
    String message = refused(Map.of("k".repeat(129), "v"));
    assertTrue(message.startsWith("labels: key \"kkkk"), message);
    assertTrue(message.endsWith("...\" is longer than 128 bytes"), message);
  }

  @Test
  void keyAndValueLimitsCountUtf8Bytes() {
    refused(Map.of("é".repeat(65), "v")); // 130 bytes in 65 chars
    assertEquals(
        "labels: value of \"app\" is longer than 4096 bytes",
        refused(Map.of("app", "é".repeat(2049))));
  }
}
