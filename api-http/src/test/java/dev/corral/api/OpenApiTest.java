package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.corral.core.ContainerRef;
import dev.corral.metrics.MetricCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/openapi.yaml and the router agree: the same operations, the same query parameters, and every
 * example request body is one the route's own parser takes.
 */
class OpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  /** The parser of each route that takes a body, as the route runs it. */
  private static final Map<String, Consumer<JsonObject>> PARSERS =
      Map.of(
          "POST /v1/containers",
          o -> CreateRequests.parse("default", o),
          "POST /v1/containers/{id}/signal",
          o -> ContainerRoutes.parseSignal(ContainerRef.of("c1"), o),
          "PATCH /v1/containers/{id}/resources",
          LiveRoutes::parseResources,
          "POST /v1/containers/{id}/processes",
          ProcessRoutes::parse,
          "POST /v1/containers/{id}/processes/{pid}/resize",
          o -> ProcessRoutes.parseResize(ContainerRef.of("c1"), "init", o),
          "POST /v1/containers/{id}/checkpoints",
          o -> CheckpointRoutes.parse(ContainerRef.of("c1"), o),
          "POST /v1/containers/{id}/stop",
          LifecycleRoutes::parseStop,
          "PATCH /v1/containers/{id}",
          LifecycleRoutes::parseUpdate,
          "POST /v1/pods",
          o -> PodRoutes.parse("default", o));

  private static Map<String, Object> doc;
  private static Router router;

  @BeforeAll
  static void load() throws IOException {
    Path file = Path.of("").toAbsolutePath().getParent().resolve("docs/openapi.yaml");
    doc = new Yaml().load(Files.readString(file));
    router =
        ApiServer.router(
            null, new MetricCatalog(), null, new Replies(null, null, null), new StreamSlots(1));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  /**
   * The operation with the parameters of its path item before its own, as OpenAPI applies them (an
   * operation's own parameter of the same name and place overrides; none here does).
   */
  private static Map<String, Object> withPathParameters(Object item, Object op) {
    List<Object> params = new java.util.ArrayList<>(list(map(item).get("parameters")));
    params.addAll(list(map(op).get("parameters")));
    Map<String, Object> out = new java.util.LinkedHashMap<>(map(op));
    out.put("parameters", params);
    return out;
  }

  /** "METHOD /template" to its operation, for every operation in the document. */
  private static Map<String, Map<String, Object>> operations() {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    map(doc.get("paths"))
        .forEach(
            (path, item) ->
                map(item)
                    .forEach(
                        (k, op) -> {
                          if (METHODS.contains(k)) {
                            out.put(
                                k.toUpperCase(Locale.ROOT) + " " + path,
                                withPathParameters(item, op));
                          }
                        }));
    return out;
  }

  @Test
  void isOpenApi31() {
    assertEquals("3.1.0", doc.get("openapi"));
  }

  @Test
  void theRoutersOperationsAreTheDocumentsOperations() {
    assertEquals(new TreeSet<>(router.routes()), operations().keySet());
    assertEquals(
        router.routes().size(), new TreeSet<>(router.routes()).size(), "a duplicate route");
  }

  @Test
  void eachOperationDocumentsExactlyTheQueryParametersItsRouteTakes() {
    Map<String, Set<String>> documented = new TreeMap<>();
    operations()
        .forEach(
            (label, op) -> {
              Set<String> names = new TreeSet<>();
              for (Object p : list(op.get("parameters"))) {
                Map<String, Object> param = resolve(map(p));
                if ("query".equals(param.get("in"))) {
                  names.add((String) param.get("name"));
                }
              }
              documented.put(label, names);
            });
    Map<String, Set<String>> routed = new TreeMap<>();
    router.queries().forEach((label, names) -> routed.put(label, new TreeSet<>(names)));
    assertEquals(routed, documented);
  }

  private static Map<String, Object> resolve(Map<String, Object> p) {
    Object ref = p.get("$ref");
    if (ref == null) {
      return p;
    }
    String name = ((String) ref).substring("#/components/parameters/".length());
    return map(map(map(doc.get("components")).get("parameters")).get(name));
  }

  @Test
  void everyRequestBodyHasExamplesTheRoutesParserTakes() {
    Set<String> withBodies = new TreeSet<>();
    operations()
        .forEach(
            (label, op) -> {
              if (op.containsKey("requestBody")) {
                withBodies.add(label);
                List<Object> examples = examples(op);
                assertFalse(examples.isEmpty(), label + ": no example");
                for (Object example : examples) {
                  JsonObject body = Json.parseObject(Json.GSON.toJson(example));
                  assertDoesNotThrow(() -> PARSERS.get(label).accept(body), label + ": " + body);
                }
              }
            });
    assertEquals(new TreeSet<>(PARSERS.keySet()), withBodies);
  }

  private static List<Object> examples(Map<String, Object> op) {
    Map<String, Object> json =
        map(map(map(op.get("requestBody")).get("content")).get("application/json"));
    List<Object> out = new ArrayList<>();
    if (json.containsKey("example")) {
      out.add(json.get("example"));
    }
    map(json.get("examples")).values().forEach(e -> out.add(map(e).get("value")));
    return out;
  }

  @Test
  void everyDocumentedErrorCodeHasItsStatus() {
    Map<String, Object> error = map(map(map(doc.get("components")).get("schemas")).get("Error"));
    List<Object> codes = list(map(map(error.get("properties")).get("code")).get("enum"));
    String text = ((String) error.get("description")).replaceAll("\\s+", " ");
    for (dev.corral.core.ErrorKind k : dev.corral.core.ErrorKind.values()) {
      assertTrue(codes.contains(k.wireName()), k.wireName() + " is not documented");
      assertTrue(
          text.contains(k.wireName() + " " + HttpErrors.status(k)),
          k.wireName() + " " + HttpErrors.status(k) + " is not documented");
    }
  }
}
