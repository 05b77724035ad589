package io.github.argrpo.rewards.registry;

import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.rewards.clip.ClassNames;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipScoreReward;

/**
 * {@code clip}: {@link ClipScoreReward}, the raw cosine of CLIP image and text embeddings
 * ({@code scale: paper} is x5; {@code quantize: true} gives AR-GRPO's {@code clip_quantize}). Options:
 * {@code weights} (required: safetensors with Hugging Face {@code openai/clip-vit-base-patch32} or
 * OpenAI names), {@code bpe_vocab} (required: {@code bpe_simple_vocab_16e6.txt.gz}), {@code class_names}
 * (one ImageNet class name per line, required for class-to-image), {@code model} ({@code vit-b-32}, the
 * AR-GRPO choice, or {@code vit-l-14}), {@code precision} ({@code fp32} or {@code bf16}).
 */
public final class ClipProvider implements RewardProvider {

  @Override
  public String name() {
    return "clip";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(Set.of("weights", "bpe_vocab", "class_names", "model", "precision"));
    ClipConfig config = o.choice("model", Set.of("vit-b-32", "vit-l-14"), "vit-b-32").equals("vit-l-14")
        ? ClipConfig.vitL14() : ClipConfig.vitB32();
    ClassNames names = o.has("class_names") ? ClassNames.read(o.existingFile("class_names")) : null;
    return ClipScoreReward.load(config, o.existingFile("weights"), o.existingFile("bpe_vocab"), names,
        Precision.parse(o.string("precision", "fp32")));
  }
}
