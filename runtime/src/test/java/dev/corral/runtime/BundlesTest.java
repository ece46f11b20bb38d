package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundlesTest {
  private static final String GOOD =
      "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
          + "\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
          + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"}],\"uidMappings\":null},"
          + "\"annotations\":{\"html\":\"<b>&'\"},\"big\":18446744073709551615}";

  @TempDir Path tmp;
  Path bundle;
  Path target;

  @BeforeEach
  void makeBundle() throws IOException {
    bundle = Files.createDirectories(tmp.resolve("bundle"));
    Files.createDirectories(bundle.resolve("rootfs"));
    target = tmp.resolve("state/c1/bundle");
  }

  private CorralException rejected(String config) throws IOException {
    Files.writeString(bundle.resolve("config.json"), config);
    return rejectedAs(bundle);
  }

  private CorralException rejectedAs(Path userBundle) {
    CorralException e =
        assertThrows(
            CorralException.class, () -> Bundles.prepare("bundle", userBundle, target, "c1"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().startsWith("bundle: "), e.getMessage());
    assertFalse(Files.exists(target.resolve("config.json")));
    return e;
  }

  @Test
  void relativeBundleIsRejected() {
    assertEquals(
        "bundle: must be an absolute path", rejectedAs(Path.of("some/bundle")).getMessage());
  }

  @Test
  void missingBundleIsRejected() {
    Path missing = tmp.resolve("nope");
    assertEquals("bundle: " + missing + " does not exist", rejectedAs(missing).getMessage());
  }

  @Test
  void bundleThatIsAFileIsRejected() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertEquals("bundle: " + file + " is not a directory", rejectedAs(file).getMessage());
  }

  @Test
  void bundleWithoutConfigIsRejected() {
    String want = "bundle: " + bundle.resolve("config.json") + " does not exist";
    assertEquals(want, rejectedAs(bundle).getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{not json|invalid JSON",
        "{\"process\":{},\"root\":{\"path\":\"rootfs\"}} trailing|invalid JSON",
        "{process:{},root:{path:rootfs}}|invalid JSON",
        "[1,2]|must be a JSON object",
        "{\"root\":{\"path\":\"rootfs\"}}|process must be an object",
        "{\"process\":[],\"root\":{\"path\":\"rootfs\"}}|process must be an object",
        "{\"process\":{}}|root must be an object",
        "{\"process\":{},\"root\":{}}|root.path must be a string",
        "{\"process\":{},\"root\":{\"path\":7}}|root.path must be a string",
        "{\"process\":{},\"root\":{\"path\":\"missing\"}}|root.path",
        "{\"process\":{},\"root\":{\"path\":\"rootfs\"},\"linux\":3}|linux must be an object",
      })
  void badConfigIsRejectedNamingTheField(String config, String expected) throws IOException {
    String message = rejected(config).getMessage();
    assertTrue(message.contains(expected), message);
    assertTrue(message.startsWith("bundle: " + bundle.resolve("config.json")), message);
  }

  @Test
  void copyHasAnAbsoluteRootAndTheCorralCgroup() throws IOException {
    Files.writeString(bundle.resolve("config.json"), GOOD);
    assertEquals(target, Bundles.prepare("bundle", bundle, target, "c1"));
    JsonObject copy = JsonParser.parseString(read(target)).getAsJsonObject();
    JsonObject root = copy.getAsJsonObject("root");
    assertEquals(bundle.resolve("rootfs").toString(), root.get("path").getAsString());
    assertTrue(root.get("readonly").getAsBoolean());
    JsonObject linux = copy.getAsJsonObject("linux");
    assertEquals("/corral/c1", linux.get("cgroupsPath").getAsString());
    assertEquals(1, linux.getAsJsonArray("namespaces").size());
  }

  @Test
  void copyKeepsEverythingElseVerbatim() throws IOException {
    Files.writeString(bundle.resolve("config.json"), GOOD);
    Bundles.prepare("bundle", bundle, target, "c1");
    String copy = read(target);
    assertTrue(copy.contains("\"<b>&'\""), copy);
    assertTrue(copy.contains("18446744073709551615"), copy);
    assertTrue(copy.contains("\"uidMappings\": null"), copy);
  }

  @Test
  void linuxIsCreatedWhenAbsent() throws IOException {
    Files.writeString(bundle.resolve("config.json"), "{\"process\":{},\"root\":{\"path\":\"/\"}}");
    Bundles.prepare("bundle", bundle, target, "web.1");
    JsonObject copy = JsonParser.parseString(read(target)).getAsJsonObject();
    assertEquals("/corral/web.1", copy.getAsJsonObject("linux").get("cgroupsPath").getAsString());
    assertEquals("/", copy.getAsJsonObject("root").get("path").getAsString());
  }

  @Test
  void usersConfigIsLeftByteIdentical() throws IOException {
    Files.writeString(bundle.resolve("config.json"), GOOD);
    byte[] before = Files.readAllBytes(bundle.resolve("config.json"));
    Bundles.prepare("bundle", bundle, target, "c1");
    assertArrayEquals(before, Files.readAllBytes(bundle.resolve("config.json")));
    try (var files = Files.list(bundle)) {
      assertEquals(2, files.count()); // config.json and rootfs, nothing added
    }
  }

  @Test
  void preparingTwiceReplacesTheCopyAndLeavesNoTempFile() throws IOException {
    Files.writeString(bundle.resolve("config.json"), GOOD);
    Bundles.prepare("bundle", bundle, target, "c1");
    Bundles.prepare("bundle", bundle, target, "c1");
    try (var files = Files.list(target)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void invalidIdIsRejectedBeforeAnyPathIsBuilt() throws IOException {
    Files.writeString(bundle.resolve("config.json"), GOOD);
    CorralException e =
        assertThrows(
            CorralException.class, () -> Bundles.prepare("bundle", bundle, target, "../x"));
    assertTrue(e.getMessage().startsWith("id: "), e.getMessage());
  }

  private static String read(Path target) throws IOException {
    return Files.readString(target.resolve("config.json"));
  }
}
