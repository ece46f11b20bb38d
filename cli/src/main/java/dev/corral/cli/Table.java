package dev.corral.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * A plain-text table: left-aligned columns three spaces apart, a header line, no trailing blanks.
 *
 * <p>Stateless.
 */
final class Table {
  private Table() {}

  static String format(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width);
    rows.forEach(r -> line(sb, r, width));
    return sb.toString();
  }

  /** A JSON field as a cell: its text, or "-" when it is absent or null. */
  static String cell(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e == null || e.isJsonNull() ? "-" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      l.append(cells.get(i));
      if (i < cells.size() - 1) {
        l.append(" ".repeat(width[i] - cells.get(i).length() + 3));
      }
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }
}
