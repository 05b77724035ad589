package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.testing.Fixtures;

/**
 * {@code docs/reproducing.md} shows the paper's numbers and evaluates the paper's checkpoints: every
 * result row of Tables 2-8, as the shared reference notes copy them from the paper
 * ({@code shared/docs/reference/paper-tables.md}), appears in one of the page's table rows, and every
 * documented export of a run evaluates the step section 4.3 names ({@code paper-runs.tsv}).
 */
class ReproducingDocTest {

  private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
  private static final Pattern TABLE_HEADING = Pattern.compile("## Table (\\d+):.*");

  @Test
  void everyResultRowOfTablesTwoToEightIsOnThePage() throws IOException {
    List<String> pageRows = Files.readAllLines(page()).stream().filter(l -> l.startsWith("|")).toList();
    int checked = 0;
    String table = null;
    for (String line : Files.readAllLines(Fixtures.sharedDir().resolve("docs/reference/paper-tables.md"))) {
      Matcher h = TABLE_HEADING.matcher(line);
      if (h.matches()) {
        table = h.group(1);
      } else if (line.startsWith("## ")) {
        table = null;
      } else if (table != null && !table.equals("1") && line.startsWith("|")) {
        List<String> numbers = decimals(line);
        if (numbers.size() >= 5) {   // result rows; headers and separators hold none
          String t = table;
          assertThat(pageRows).as("Table " + t + " row " + line).anyMatch(r -> containsRun(decimals(r), numbers));
          checked++;
        }
      }
    }
    // Table 2: 4 rows; 3 and 4: 2 each; 5: 3; 6, 7, 8: 5 each
    assertThat(checked).isEqualTo(4 + 2 + 2 + 3 + 5 + 5 + 5);
  }

  @Test
  void documentedExportsEvaluateThePapersCheckpoint() throws IOException {
    String text = Files.readString(page()).replace("\\\n", " ");
    PaperTable runs = PaperTable.read("paper-runs.tsv");
    Pattern weights = Pattern.compile("model\\.weights=runs/\\S+");
    int checked = 0;
    for (String command : text.split("\n")) {
      if (!command.strip().startsWith("./argrpo export ") || command.contains("export entropy")) {
        continue;
      }
      Matcher m = weights.matcher(command);
      if (!m.find()) {
        continue;   // a baseline export of the pretrained weights
      }
      String task = command.contains("export adm-npz") ? "c2i" : "t2i";
      Set<String> steps = runs.where("task", task).stream().map(r -> r.get("eval_step")).collect(Collectors.toSet());
      assertThat(steps).as("one evaluated step per task (section 4.3)").hasSize(1);
      String step = String.format("/checkpoints/step-%06d", Integer.parseInt(steps.iterator().next()));
      assertThat(m.group()).as(command).endsWith(step);
      if (task.equals("c2i")) {
        assertThat(command).as("Table 2 evaluates at 256 px: " + command).contains("--resize 256");
      }
      checked++;
    }
    assertThat(checked).as("exports of trained runs on the page").isGreaterThanOrEqualTo(5);
  }

  private static Path page() {
    return Fixtures.repoRoot().resolve("docs/reproducing.md");
  }

  private static List<String> decimals(String row) {
    List<String> out = new ArrayList<>();
    for (String cell : row.split("\\|")) {
      String c = cell.strip();
      if (DECIMAL.matcher(c).matches()) {
        out.add(c);
      }
    }
    return out;
  }

  private static boolean containsRun(List<String> haystack, List<String> needle) {
    return Collections.indexOfSubList(haystack, needle) >= 0;
  }
}
