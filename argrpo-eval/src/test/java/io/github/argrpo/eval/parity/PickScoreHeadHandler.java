package io.github.argrpo.eval.parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import io.github.argrpo.eval.drawbench.pickscore.PickScoreHead;

/**
 * {@code pickscore-head} fixtures: {@link PickScoreHead} on each case's embeddings and raw
 * {@code logit_scale}, in the case's {@code mode} ({@code prompt}: PickScore README, scores and softmax
 * probs; {@code pairs}: AR-GRPO, per-pair scores and {@code / 26}).
 */
public final class PickScoreHeadHandler implements EvalFixtureHandler {

  @Override
  public boolean handles(String kind) {
    return "pickscore-head".equals(kind);
  }

  @Override
  public Stream<? extends DynamicNode> cases(Path dir, JsonNode config) {
    String folder = dir.getFileName().toString();
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : config.get("cases")) {
      String name = c.get("name").asText();
      String mode = c.path("mode").asText();
      for (Map.Entry<String, JsonNode> e : AestheticMlpHandler.iterable(c.get("expected"))) {
        String output = e.getKey();
        String tensor = e.getValue().asText();
        JsonNode tol = c.has("tolerance") && c.get("tolerance").has(output) ? c.get("tolerance").get(output)
            : config.get("tolerance").get(output);
        String label = folder + " / " + name + " / " + output;
        tests.add(DynamicTest.dynamicTest(label, () -> {
          JsonNode in = c.get("inputs");
          double logitScale = AestheticMlpHandler.matrix(dir, in.get("logit_scale").asText())[0][0];
          float[][] text = AestheticMlpHandler.matrix(dir, in.get("text_embeds").asText());
          float[][] images = AestheticMlpHandler.matrix(dir, in.get("image_embeds").asText());
          double[] scores = switch (mode) {
            case "prompt" -> PickScoreHead.prompt(logitScale, text[0], images);
            case "pairs" -> PickScoreHead.pairs(logitScale, text, images);
            default -> throw new IllegalArgumentException(label + ": unknown mode '" + mode + "' (prompt or pairs)");
          };
          double[] got = switch (output) {
            case "scores" -> scores;
            case "probs" -> PickScoreHead.softmax(scores);
            case "scores_div26" -> divide(scores, PickScoreHead.AR_GRPO_DIVISOR);
            default -> throw new IllegalArgumentException(label + ": unknown expected output " + output);
          };
          float[][] want = AestheticMlpHandler.matrix(dir, tensor);
          float[] flat = new float[want.length * want[0].length];
          for (int r = 0; r < want.length; r++) {
            System.arraycopy(want[r], 0, flat, r * want[0].length, want[0].length);
          }
          AestheticMlpHandler.assertClose(got, flat, tol, label);
        }));
      }
    }
    return tests.stream();
  }

  private static double[] divide(double[] v, double d) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] / d;
    }
    return out;
  }
}
