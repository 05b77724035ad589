package io.github.argrpo.eval.drawbench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.bytedeco.javacpp.PointerScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.image.ImageBatch;

/**
 * Scores every image of a {@link PromptFolder} with a set of {@link DrawbenchScorer}s and writes
 * {@code scores.jsonl} (one line per image: prompt, sample path, one value per scorer) and
 * {@code summary.json} (per scorer: mean, Table 4's value {@code mean / paper_divisor}, model,
 * precision, 8-bit conversion, normalisation; and every scorer that was skipped, with the reason).
 *
 * <pre>{@code
 * DrawbenchEvaluation.Result r = new DrawbenchEvaluation(scorers, Map.of("imagereward", "no --imagereward model"), 8)
 *     .run(PromptFolder.read(dir), dir.resolve("eval"));
 * }</pre>
 *
 * <p>Does not own the scorers. Images are read as 8-bit RGB ({@code v / 255}); each batch is scored
 * inside its own {@code PointerScope}.
 */
public final class DrawbenchEvaluation {

  private static final Logger LOG = LoggerFactory.getLogger(DrawbenchEvaluation.class);

  /** Per-image file name. */
  public static final String SCORES = "scores.jsonl";
  /** Summary file name. */
  public static final String SUMMARY = "summary.json";

  private final List<DrawbenchScorer> scorers;
  private final Map<String, String> skipped;
  private final int batchSize;

  /**
   * Result of one run.
   *
   * @param means scorer name to mean per-image value
   * @param scores scorer name to the per-image values, in sample order
   * @param summary the summary JSON file
   */
  public record Result(Map<String, Double> means, Map<String, double[]> scores, Path summary) {}

  /**
   * @param scorers the scorers to run (at least one, distinct names)
   * @param skipped scorer name to the reason it does not run (recorded in the summary, never a silent zero)
   * @param batchSize images per scorer call, {@code >= 1}
   */
  public DrawbenchEvaluation(List<DrawbenchScorer> scorers, Map<String, String> skipped, int batchSize) {
    checkArgument(scorers != null && !scorers.isEmpty(),
        "no scorer to run: give the weights or server of at least one scorer%s",
        skipped == null || skipped.isEmpty() ? "" : " (skipped: " + skipped + ")");
    checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
    List<String> names = scorers.stream().map(s -> s.info().name()).toList();
    checkArgument(names.stream().distinct().count() == names.size(), "scorer names must be distinct, got %s", names);
    this.scorers = List.copyOf(scorers);
    this.skipped = skipped == null ? Map.of() : Map.copyOf(skipped);
    this.batchSize = batchSize;
  }

  /** Scores {@code folder} and writes both files into {@code outDir} (created if needed). */
  public Result run(PromptFolder folder, Path outDir) throws IOException {
    List<PromptFolder.Sample> samples = folder.samples();
    int n = samples.size();
    Map<String, double[]> values = new LinkedHashMap<>();
    for (DrawbenchScorer s : scorers) {
      values.put(s.info().name(), new double[n]);
    }
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      List<PromptFolder.Sample> chunk = samples.subList(from, to);
      List<String> prompts = chunk.stream().map(PromptFolder.Sample::prompt).toList();
      try (PointerScope scope = new PointerScope(); ImageBatch images = ImageBatch.fromBufferedImages(readImages(chunk))) {
        for (DrawbenchScorer s : scorers) {
          double[] v = s.score(images, prompts);
          checkState(v.length == chunk.size(),
              "%s returned %s scores for %s images", s.info().name(), v.length, chunk.size());
          System.arraycopy(v, 0, values.get(s.info().name()), from, v.length);
        }
      }
      LOG.info("scored {}/{} images", to, n);
    }
    Files.createDirectories(outDir);
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PromptFolder.Sample s = samples.get(i);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("index", s.promptIndex());
      line.put("prompt", s.prompt());
      line.put("sample", s.relative());
      for (Map.Entry<String, double[]> e : values.entrySet()) {
        line.put(e.getKey(), e.getValue()[i]);
      }
      lines.add(json.writeValueAsString(line));
    }
    Files.write(outDir.resolve(SCORES), lines, StandardCharsets.UTF_8);

    Map<String, Double> means = new LinkedHashMap<>();
    Map<String, Object> perScorer = new LinkedHashMap<>();
    for (DrawbenchScorer s : scorers) {
      double[] v = values.get(s.info().name());
      double sum = 0;
      for (double x : v) {
        sum += x;
      }
      double mean = sum / n;
      means.put(s.info().name(), mean);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mean", mean);
      m.put("table4", mean / s.info().paperDivisor());
      m.put("images", n);
      m.putAll(s.info().toMap());
      perScorer.put(s.info().name(), m);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("folder", folder.root().toAbsolutePath().toString());
    summary.put("prompts", samples.stream().map(PromptFolder.Sample::promptIndex).distinct().count());
    summary.put("images", n);
    summary.put("scorers", perScorer);
    summary.put("skipped", new LinkedHashMap<>(skipped));
    summary.put("note", "images read from 8-bit PNG (v / 255): both uint8 conversions give back the stored bytes");
    Path summaryFile = outDir.resolve(SUMMARY);
    json.enable(SerializationFeature.INDENT_OUTPUT).writeValue(summaryFile.toFile(), summary);
    for (Map.Entry<String, String> e : skipped.entrySet()) {
      LOG.warn("skipped {}: {}", e.getKey(), e.getValue());
    }
    return new Result(means, values, summaryFile);
  }

  private static List<BufferedImage> readImages(List<PromptFolder.Sample> chunk) {
    List<BufferedImage> out = new ArrayList<>(chunk.size());
    for (PromptFolder.Sample s : chunk) {
      try {
        BufferedImage img = ImageIO.read(s.image().toFile());
        checkArgument(img != null, "not an image javax.imageio can read: %s", s.image());
        out.add(img);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + s.image() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
