package io.github.argrpo.rewards.clip;

import java.nio.file.Path;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.rewards.text.ClassNames;

/**
 * AR-GRPO's CLIP reward: the raw cosine between the CLIP ViT-B/32 embeddings of each image and of its
 * text ({@code "a photo of " + class name} for class-to-image, the prompt for text-to-image).
 *
 * <pre>{@code
 * try (ClipScoreReward clip = ClipScoreReward.load(Path.of("clip-vit-base-patch32/model.safetensors"),
 *         Path.of("bpe_simple_vocab_16e6.txt.gz"), ClassNames.read(Path.of("imagenet_class_names.txt")),
 *         Precision.FP32)) {
 *   RewardFunction r = Rewards.weightedSum(Map.of(
 *       Rewards.scaled(clip, 5, "clip"), 1.0,                    // AR-GRPO: 5 * cos
 *       Rewards.arGrpoQuantized(clip, "clip_quantize"), 1.0));
 * }
 * }</pre>
 *
 * <p>Returns raw cosines (about 0.2-0.35 for matching pairs); scaling and quantization are composed
 * by the caller with {@link io.github.argrpo.core.reward.Rewards}. Preprocessing is CLIP's PIL path
 * ({@link ClipPreprocess#openAi}). Owns its model when built by {@link #load}; thread-safe.
 */
public final class ClipScoreReward extends CosineReward {

  /**
   * A reward on an existing model (not owned: closing the reward leaves it open).
   *
   * @param classNames names for class conditions, or {@code null} for text conditions only
   */
  public ClipScoreReward(String name, ClipModel model, ClipTokenizer tokenizer, ClassNames classNames) {
    this(name, model, tokenizer, classNames, false, 16);
  }

  /** A reward that owns {@code model} (closed with the reward), scoring {@code batchSize} images per forward. */
  public static ClipScoreReward owning(String name, ClipModel model, ClipTokenizer tokenizer, ClassNames classNames,
      int batchSize) {
    return new ClipScoreReward(name, model, tokenizer, classNames, true, batchSize);
  }

  private ClipScoreReward(String name, ClipModel model, ClipTokenizer tokenizer, ClassNames classNames, boolean owns,
      int batchSize) {
    super(name, model, owns, new ClipSimilarity(model, tokenizer, ClipPreprocess.openAi(model.config().imageSize()), classNames,
        batchSize));
  }

  /**
   * Loads CLIP ViT-B/32 from a safetensors file (Hugging Face {@code openai/clip-vit-base-patch32} or
   * OpenAI names) and the tokenizer from {@code bpe_simple_vocab_16e6.txt.gz}. The reward owns the model.
   */
  public static ClipScoreReward load(Path weights, Path bpeVocab, ClassNames classNames, Precision precision) {
    return load(ClipConfig.vitB32(), weights, bpeVocab, classNames, precision);
  }

  /** As {@link #load(Path, Path, ClassNames, Precision)} for another CLIP config (ViT-L/14, ...). */
  public static ClipScoreReward load(ClipConfig config, Path weights, Path bpeVocab, ClassNames classNames,
      Precision precision) {
    // AR-GRPO tokenizes with the Hugging Face fast tokenizer of openai/clip-vit-base-patch32: no HTML unescape.
    ClipTokenizer tok = ClipTokenizer.fromBpeVocab(bpeVocab).withCleaning(ClipTextCleaning.HUGGING_FACE);
    ClipModel m = ClipModel.load(config, precision, weights);
    return new ClipScoreReward("clip", m, tok, classNames, true, 16);
  }
}
