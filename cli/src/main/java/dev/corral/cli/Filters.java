package dev.corral.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * docker's {@code --filter key=value}, parsed: values of the same key are alternatives (any may
 * match), different keys must all match. Which keys a command takes is its business; an unknown key
 * or a value without {@code =} is a usage error naming it.
 *
 * <p>Immutable once parsed; main thread.
 */
final class Filters {
  private final Map<String, List<String>> byKey; // main thread; filled by parse

  private Filters(Map<String, List<String>> byKey) {
    this.byKey = byKey;
  }

  /**
   * Parses {@code key=value} strings; {@code keys} are the ones the command knows. Errors are usage
   * errors of {@code line}.
   */
  static Filters parse(CommandLine line, List<String> filters, Set<String> keys) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String f : filters) {
      int eq = f.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(line, "--filter: '" + f + "' is not key=value");
      }
      String key = f.substring(0, eq);
      if (!keys.contains(key)) {
        throw new ParameterException(
            line, "--filter: unknown key '" + key + "' (known: " + String.join(", ", keys) + ")");
      }
      m.computeIfAbsent(key, k -> new ArrayList<>()).add(f.substring(eq + 1));
    }
    return new Filters(m);
  }

  boolean has(String key) {
    return byKey.containsKey(key);
  }

  /** The values given for {@code key}, and for its synonyms, in order; empty when none. */
  List<String> values(String... keys) {
    List<String> all = new ArrayList<>();
    for (String k : keys) {
      all.addAll(byKey.getOrDefault(k, List.of()));
    }
    return all;
  }

  /** True when no value was given for these keys, or {@code test} accepts one of them. */
  boolean any(Predicate<String> test, String... keys) {
    List<String> vs = values(keys);
    return vs.isEmpty() || vs.stream().anyMatch(test);
  }
}
