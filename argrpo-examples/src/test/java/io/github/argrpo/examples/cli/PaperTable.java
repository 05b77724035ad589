package io.github.argrpo.examples.cli;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table copied from the AR-GRPO paper into {@code src/test/resources/paper/} (tab-separated, a header
 * row, {@code #} comment lines; see the README there), read as rows of column name to cell text.
 *
 * @param name the resource file name
 * @param rows the rows in file order
 */
record PaperTable(String name, List<Map<String, String>> rows) {

  /** Reads {@code /paper/<name>} from the test class path. */
  static PaperTable read(String name) {
    try (InputStream in = PaperTable.class.getResourceAsStream("/paper/" + name)) {
      checkState(in != null, "test resource /paper/%s is missing", name);
      List<String[]> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          lines.add(line.strip().split("\t"));
        }
      }
      String[] header = lines.get(0);
      List<Map<String, String>> rows = new ArrayList<>();
      for (String[] cells : lines.subList(1, lines.size())) {
        checkState(cells.length == header.length, "%s: row %s has %s cells, the header %s", name,
            String.join(" ", cells), cells.length, header.length);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], cells[i]);
        }
        rows.add(row);
      }
      return new PaperTable(name, List.copyOf(rows));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rows whose {@code column} is {@code value}. */
  List<Map<String, String>> where(String column, String value) {
    return rows.stream().filter(r -> value.equals(r.get(column))).toList();
  }

  /** The one row whose {@code column} is {@code value}, if any. */
  Optional<Map<String, String>> row(String column, String value) {
    List<Map<String, String>> found = where(column, value);
    checkState(found.size() <= 1, "%s: %s rows with %s = %s", name, found.size(), column, value);
    return found.stream().findFirst();
  }

  /** Column {@code key} to column {@code value} over every row (a two-column setting table). */
  Map<String, String> asMap(String key, String value) {
    Map<String, String> out = new LinkedHashMap<>();
    rows.forEach(r -> out.put(r.get(key), r.get(value)));
    return out;
  }
}
