package io.github.argrpo.rewards.registry;

import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.rewards.clip.ClassNames;
import io.github.argrpo.rewards.hps.HpsReward;

/**
 * {@code hpsv2}: {@link HpsReward}, HPS v2 / v2.1 (open_clip ViT-H-14 with the HPS checkpoint), the raw
 * cosine of normalized features ({@code scale: paper} is x5; {@code quantize: true} gives
 * {@code hpsv2_quantize}). Options: {@code checkpoint} (required: {@code HPS_v2.1_compressed.pt} as
 * downloaded, or safetensors), {@code bpe_vocab} (required), {@code class_names} (required for
 * class-to-image), {@code precision} ({@code fp32} or {@code bf16}).
 */
public final class HpsProvider implements RewardProvider {

  @Override
  public String name() {
    return "hpsv2";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(Set.of("checkpoint", "bpe_vocab", "class_names", "precision"));
    ClassNames names = o.has("class_names") ? ClassNames.read(o.existingFile("class_names")) : null;
    return HpsReward.load(o.existingFile("checkpoint"), o.existingFile("bpe_vocab"), names,
        Precision.parse(o.string("precision", "fp32")));
  }
}
