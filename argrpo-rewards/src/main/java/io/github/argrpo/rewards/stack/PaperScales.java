package io.github.argrpo.rewards.stack;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * AR-GRPO's reward scalings (Appendix D; reference {@code img_gen_grpo_rewards.py}): CLIP x5, HPSv2.1 x5,
 * MANIQA x2, every VLM judge question x0.25 ({@code score / 4}). The quantized CLIP/HPS variants are
 * not scaled. {@code scale: paper} in a reward stack resolves through this table.
 */
public final class PaperScales {

  /** CLIP cosine x5. */
  public static final double CLIP = 5.0;
  /** HPSv2.1 cosine x5. */
  public static final double HPS = 5.0;
  /** MANIQA mean crop score x2. */
  public static final double MANIQA = 2.0;
  /** VLM judge score / 4. */
  public static final double JUDGE = 0.25;

  private static final Map<String, Double> BY_NAME = Map.of(
      "clip", CLIP,
      "hpsv2", HPS,
      "maniqa", MANIQA,
      "vlm_judge_quality", JUDGE,
      "vlm_judge_fake", JUDGE,
      "vlm_judge_weird", JUDGE);

  private PaperScales() {}

  /** The paper's scale for reward {@code name}, empty for rewards the paper does not use. */
  public static OptionalDouble of(String name) {
    Double d = BY_NAME.get(name);
    return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
  }
}
