package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.examples.export.NpzReader;
import io.github.argrpo.core.image.Png;

/** The export subcommands end to end on tiny random models. */
class ExportCommandsTest {

  @TempDir
  Path dir;

  @Test
  void admNpzHoldsUint8NhwcImagesClassByClass() throws Exception {
    Path config = TinyRun.write(dir, false);
    Path npz = dir.resolve("samples.npz");
    Path pngs = dir.resolve("pngs");
    Cli.Result r = Cli.run("export", "adm-npz", "-c", config.toString(), "--classes", "2,5,7", "--per-class", "2",
        "--batch", "2", "--out", npz.toString(), "--png-dir", pngs.toString(), "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    NpzReader.Array a = NpzReader.read(npz, "arr_0");
    assertThat(a.descr()).isEqualTo("|u1");
    assertThat(a.shape()).containsExactly(6L, 8L, 8L, 3L);
    // row 2 * 2 + 1 is class 7's second image; the PNG written alongside holds the same bytes
    BufferedImage png = Png.read(pngs.resolve("000701.png"));
    byte[] d = a.data();
    int base = 5 * 8 * 8 * 3;
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        int rgb = png.getRGB(x, y);
        int k = base + (y * 8 + x) * 3;
        assertThat(new int[] {d[k] & 0xff, d[k + 1] & 0xff, d[k + 2] & 0xff})
            .containsExactly((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
      }
    }
    // random weights still give varied pixels, not a constant image
    assertThat(distinct(d)).isGreaterThan(10);
  }

  @Test
  void admNpzResizesBicubicBeforeConversion() throws Exception {
    Path config = TinyRun.write(dir, false);
    Path npz = dir.resolve("small.npz");
    Cli.Result r = Cli.run("export", "adm-npz", "-c", config.toString(), "--classes", "0-1", "--per-class", "3",
        "--resize", "4", "--uint8", "llamagen", "--out", npz.toString(), "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(NpzReader.read(npz, "arr_0").shape()).containsExactly(6L, 4L, 4L, 3L);
    Cli.Result bad = Cli.run("export", "adm-npz", "-c", config.toString(), "--uint8", "round", "--out", npz.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.errorLines()).singleElement().asString().contains("ar-grpo or llamagen").contains("'round'");
  }

  @Test
  void anInterruptedAdmExportResumesToTheSameBytes() throws Exception {
    Path config = TinyRun.write(dir, false);
    Path whole = dir.resolve("whole.npz");
    Cli.Result full = Cli.run("export", "adm-npz", "-c", config.toString(), "--classes", "0-3", "--per-class", "2",
        "--out", whole.toString(), "--no-progress");
    assertThat(full.code()).as(full.err()).isZero();

    // a non-empty directory where class 2's first PNG should go makes the export fail there
    Path npz = dir.resolve("resumed.npz");
    Path pngs = dir.resolve("pngs");
    Files.createDirectories(pngs.resolve("000200.png"));
    Files.writeString(pngs.resolve("000200.png/blocker"), "x");
    Cli.Result broken = Cli.run("export", "adm-npz", "-c", config.toString(), "--classes", "0-3", "--per-class", "2",
        "--out", npz.toString(), "--png-dir", pngs.toString(), "--no-progress");
    assertThat(broken.code()).isEqualTo(2);
    assertThat(broken.errorLines()).singleElement().asString().contains("000200.png").contains("--resume");
    assertThat(npz).doesNotExist();

    Cli.Result again = Cli.run("export", "adm-npz", "-c", config.toString(), "--classes", "0-3", "--per-class", "2",
        "--out", npz.toString(), "--png-dir", pngs.toString(), "--no-progress");
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.errorLines()).singleElement().asString().contains("--resume");

    Cli.Result otherSettings = Cli.run("export", "adm-npz", "-c", config.toString(), "--classes", "0-3", "--per-class", "2",
        "--cfg-scale", "3", "--out", npz.toString(), "--resume", "--no-progress");
    assertThat(otherSettings.code()).isEqualTo(2);
    assertThat(otherSettings.errorLines()).singleElement().asString().contains("other settings");

    Files.delete(pngs.resolve("000200.png/blocker"));
    Files.delete(pngs.resolve("000200.png"));
    Cli.Result resumed = Cli.run("export", "adm-npz", "-c", config.toString(), "--classes", "0-3", "--per-class", "2",
        "--out", npz.toString(), "--png-dir", pngs.toString(), "--resume", "--no-progress");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("resuming after 2 of 4 classes");
    assertThat(NpzReader.read(npz, "arr_0").data()).isEqualTo(NpzReader.read(whole, "arr_0").data());
    assertThat(pngs.resolve("000301.png")).exists();
  }

  @Test
  void genevalLayoutHasMetadataAndSamples() throws Exception {
    Path config = TinyRun.write(dir, true);
    Path meta = dir.resolve("evaluation_metadata.jsonl");
    Files.write(meta, List.of(
        "{\"tag\": \"single_object\", \"include\": [{\"class\": \"cube\", \"count\": 1}], \"prompt\": \"" + TinyRun.PROMPTS.get(0) + "\"}",
        "{\"tag\": \"counting\", \"include\": [{\"class\": \"sphere\", \"count\": 2}], \"prompt\": \"" + TinyRun.PROMPTS.get(1) + "\"}"),
        StandardCharsets.UTF_8);
    Path out = dir.resolve("geneval");
    Cli.Result r = Cli.run("export", "geneval", "-c", config.toString(), "--metadata", meta.toString(), "-n", "2",
        "--out", out.toString(), "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode m1 = new ObjectMapper().readTree(Files.readString(out.resolve("00001/metadata.jsonl")));
    assertThat(m1.get("tag").asText()).isEqualTo("counting");
    assertThat(m1.get("include").get(0).get("count").asInt()).isEqualTo(2);
    assertThat(out.resolve("00000/samples/0000.png")).exists();
    assertThat(out.resolve("00001/samples/0001.png")).exists();
    assertThat(out.resolve("00001/samples/0002.png")).doesNotExist();
  }

  @Test
  void drawbenchLayoutHasAFolderPerPrompt() throws Exception {
    Path config = TinyRun.write(dir, true);
    Path prompts = dir.resolve("drawbench.txt");
    Files.write(prompts, List.of(TinyRun.PROMPTS.get(2), TinyRun.PROMPTS.get(0)), StandardCharsets.UTF_8);
    Path out = dir.resolve("drawbench");
    Cli.Result r = Cli.run("export", "drawbench", "-c", config.toString(), "--prompts", prompts.toString(), "-n", "1",
        "--out", out.toString(), "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("00000/prompt.txt")).strip()).isEqualTo(TinyRun.PROMPTS.get(2));
    assertThat(out.resolve("00001/samples/0000.png")).exists();
    List<String> index = Files.readAllLines(out.resolve("prompts.jsonl"));
    assertThat(index).hasSize(2);
    assertThat(new ObjectMapper().readTree(index.get(1)).get("samples").get(0).asText()).isEqualTo("00001/samples/0000.png");
  }

  @Test
  void entropyIsWithinTheVocabularyBoundForBothDistributions() throws Exception {
    Path config = TinyRun.write(dir, false);
    double bound = Math.log(64);
    for (String dist : List.of("guided", "conditional")) {
      Path json = dir.resolve(dist + ".json");
      Cli.Result r = Cli.run("export", "entropy", "-c", config.toString(), "--classes", "0-3", "-n", "2",
          "--distribution", dist, "--out", json.toString(), "--no-progress");
      assertThat(r.code()).as(r.err()).isZero();
      JsonNode n = new ObjectMapper().readTree(json.toFile());
      assertThat(n.get("distribution").asText()).isEqualTo(dist);
      assertThat(n.get("conditions")).hasSize(4);
      assertThat(n.get("per_position")).hasSize(16);
      double mean = n.get("mean_entropy").asDouble();
      // a random tiny model is close to uniform over its 64 codes, never above it
      assertThat(mean).isGreaterThan(0.5 * bound).isLessThanOrEqualTo(bound + 1e-6);
      double avg = 0;
      for (JsonNode c : n.get("conditions")) {
        avg += c.get("mean_entropy").asDouble() / 4;
      }
      assertThat(avg).isCloseTo(mean, Offset.offset(1e-9));
    }
    Path csv = dir.resolve("e.csv");
    Cli.Result r = Cli.run("export", "entropy", "-c", config.toString(), "--classes", "1,2", "-n", "2", "--out", csv.toString(),
        "--no-progress");
    assertThat(r.code()).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("condition,mean_entropy");
    assertThat(lines.get(1)).startsWith("\"class 1\",");
    assertThat(lines.get(3)).startsWith("all,");
  }

  @Test
  void textToImageEntropyCoversThePromptSet() throws Exception {
    Path config = TinyRun.write(dir, true);
    Path json = dir.resolve("t2i.json");
    Cli.Result r = Cli.run("export", "entropy", "-c", config.toString(), "-n", "2", "--out", json.toString(), "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode n = new ObjectMapper().readTree(json.toFile());
    assertThat(n.get("conditions")).hasSize(TinyRun.PROMPTS.size());
    assertThat(n.get("conditions").get(1).get("condition").asText()).isEqualTo(TinyRun.PROMPTS.get(1));
    // image positions only: 16 tokens, none of the 120 caption positions
    assertThat(n.get("per_position")).hasSize(16);
    Cli.Result c2iOnly = Cli.run("export", "adm-npz", "-c", config.toString(), "--out", dir.resolve("x.npz").toString());
    assertThat(c2iOnly.code()).isEqualTo(2);
    assertThat(c2iOnly.errorLines()).singleElement().asString().contains("text-to-image model; give prompts");
  }

  private static long distinct(byte[] d) {
    boolean[] seen = new boolean[256];
    long n = 0;
    for (byte b : d) {
      if (!seen[b & 0xff]) {
        seen[b & 0xff] = true;
        n++;
      }
    }
    return n;
  }
}
