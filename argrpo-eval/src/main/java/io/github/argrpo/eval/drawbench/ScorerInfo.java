package io.github.argrpo.eval.drawbench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a DrawBench scorer computes, recorded beside its numbers in the summary JSON so a reader can
 * tell which protocol produced them.
 *
 * <pre>{@code
 * new ScorerInfo("clip", "CLIP ViT-B/32 (openai/clip-vit-base-patch32)", "fp32", PixelConversion.TRUNCATE,
 *     "raw cosine of the projected, L2-normalised embeddings", 1.0);
 * }</pre>
 *
 * @param name the column key in the per-image JSONL, e.g. {@code "pickscore"}
 * @param model the model and weights, e.g. {@code "yuvalkirstain/PickScore_v1 (CLIP ViT-H/14)"}
 * @param precision the compute precision ({@code fp32}, {@code bf16}) or {@code "server"} for a remote model
 * @param conversion how float images become 8-bit pixels for this scorer
 * @param normalisation what the per-image value is, in the reference's words
 * @param paperDivisor Table 4 reports {@code mean / paperDivisor} (26 for PickScore, 5 for UnifiedReward, else 1)
 */
public record ScorerInfo(String name, String model, String precision, PixelConversion conversion, String normalisation,
    double paperDivisor) {

  public ScorerInfo {
    checkArgument(name != null && name.matches("[a-z][a-z0-9_]*"),
        "scorer name must be lower-case letters, digits and '_', got %s", name);
    checkArgument(model != null && precision != null && conversion != null && normalisation != null,
        "scorer %s: model, precision, conversion and normalisation must be given", name);
    checkArgument(paperDivisor > 0, "scorer %s: paperDivisor must be > 0, got %s", name, paperDivisor);
  }

  /** The fields as the summary JSON writes them. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("precision", precision);
    m.put("uint8_conversion", conversion.name().toLowerCase(Locale.ROOT));
    m.put("uint8_formula", conversion.formula());
    m.put("normalisation", normalisation);
    m.put("paper_divisor", paperDivisor);
    return m;
  }
}
