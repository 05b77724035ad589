package io.github.argrpo.examples.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Mean per-token policy entropy over a class or prompt set (the paper's entropy figures): for each
 * condition, the entropy {@code H = logsumexp(z) - sum softmax(z) z} of the next-token distribution at
 * every image-token position of its samples, averaged over positions and samples; plus the mean over
 * all conditions and the mean per position.
 *
 * <p>Two distributions: {@code guided}, the CFG-combined logits sampling drew from (what AR-GRPO's
 * {@code entropy} metric logs, here over image positions only), and {@code conditional}, the
 * conditional branch the GRPO loss scores.
 */
public final class EntropyReport {

  private final String distribution;
  private final List<String> labels = new ArrayList<>();
  private final List<Double> means = new ArrayList<>();
  private double[] positionSum;
  private long rows;

  /** @param distribution {@code guided} or {@code conditional}, recorded in the output */
  public EntropyReport(String distribution) {
    this.distribution = distribution;
  }

  /** Entropy per position of fp32 logits {@code (N, L, V)}: {@code (N, L)}, in the caller's scope. */
  public static Tensor entropyOfLogits(Tensor logits) {
    Tensor z = logits.to(ScalarType.Float);
    Tensor lse = torch.logsumexp(z, new long[] {-1}, false);
    Tensor p = torch.softmax(z, -1);
    return lse.sub(p.mul(z).sum(new long[] {-1}, false, new ScalarTypeOptional()));
  }

  /**
   * Adds one pass: {@code entropy (rows, L)} with {@code perCondition} consecutive rows per condition.
   */
  public void add(List<String> conditionLabels, int perCondition, Tensor entropy) {
    int l = (int) entropy.size(1);
    float[] v = new float[(int) entropy.size(0) * l];
    try (PointerScope s = new PointerScope()) {
      Tensor c = entropy.to(ScalarType.Float).cpu().contiguous();
      new FloatPointer(c.data_ptr_float()).get(v);
    }
    if (positionSum == null) {
      positionSum = new double[l];
    }
    for (int k = 0; k < conditionLabels.size(); k++) {
      double sum = 0;
      for (int r = k * perCondition; r < (k + 1) * perCondition; r++) {
        for (int j = 0; j < l; j++) {
          sum += v[r * l + j];
          positionSum[j] += v[r * l + j];
        }
      }
      labels.add(conditionLabels.get(k));
      means.add(sum / ((double) perCondition * l));
    }
    rows += (long) conditionLabels.size() * perCondition;
  }

  /** Mean entropy over every condition (equal weight per condition). */
  public double mean() {
    return means.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Per-condition means, in order. */
  public List<Double> conditionMeans() {
    return List.copyOf(means);
  }

  /** Mean over samples at each image-token position. */
  public double[] positionMeans() {
    double[] out = new double[positionSum == null ? 0 : positionSum.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = positionSum[j] / rows;
    }
    return out;
  }

  /** Writes JSON ({@code .json}) or CSV (anything else: {@code condition,mean_entropy} rows then {@code all}). */
  public void write(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("distribution", distribution);
      m.put("mean_entropy", mean());
      List<Map<String, Object>> per = new ArrayList<>();
      for (int i = 0; i < labels.size(); i++) {
        per.add(Map.of("condition", labels.get(i), "mean_entropy", means.get(i)));
      }
      m.put("conditions", per);
      m.put("per_position", positionMeans());
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(abs.toFile(), m);
    } else {
      StringBuilder sb = new StringBuilder("condition,mean_entropy\n");
      for (int i = 0; i < labels.size(); i++) {
        sb.append('"').append(labels.get(i).replace("\"", "\"\"")).append("\",")
            .append(String.format(Locale.ROOT, "%.6f", means.get(i))).append('\n');
      }
      sb.append("all,").append(String.format(Locale.ROOT, "%.6f", mean())).append('\n');
      Files.writeString(abs, sb.toString(), StandardCharsets.UTF_8);
    }
  }
}
