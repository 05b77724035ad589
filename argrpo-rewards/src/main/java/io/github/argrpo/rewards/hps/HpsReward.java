package io.github.argrpo.rewards.hps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.rewards.clip.ClipPreprocess;
import io.github.argrpo.rewards.clip.ClipSimilarity;
import io.github.argrpo.rewards.clip.ClipTokenizer;
import io.github.argrpo.rewards.clip.CosineReward;
import io.github.argrpo.rewards.text.ClassNames;
import io.github.argrpo.weights.WeightFiles;
import io.github.argrpo.weights.WeightSource;

/**
 * AR-GRPO's HPS reward (HPSv2.1 by default): open_clip ViT-H-14 (exact GELU) with the HPS checkpoint,
 * score = {@code normalize(image) . normalize(text)}, the plain cosine without logit scale (about
 * 0.2-0.35).
 *
 * <pre>{@code
 * try (HpsReward hps = HpsReward.load(Path.of("HPS_v2.1_compressed.pt"), Path.of("bpe_simple_vocab_16e6.txt.gz"),
 *         ClassNames.read(Path.of("imagenet_class_names.txt")), Precision.BF16)) {
 *   RewardFunction r = Rewards.scaled(hps, 5, "hpsv2");   // AR-GRPO: 5 * hps
 * }
 * }</pre>
 *
 * <p>Text is built as for CLIP ({@code "a photo of " + class name}, or the prompt) and tokenized with
 * open_clip's tokenizer (OpenAI cleaning, HTML unescape). Images take open_clip's float path
 * ({@link ClipPreprocess#openClip}): truncation to 8 bits, {@code / 255}, antialiased bicubic resize in
 * float, centre crop, OpenAI mean/std. The reference runs under CUDA fp16 autocast; here
 * {@link Precision#FP32} or {@link Precision#BF16}.
 *
 * <p>Weights: the HPS {@code .pt} checkpoint ({@code {"state_dict": ...}}, OpenAI/open_clip key names),
 * read without Python, or a safetensors conversion of it. Owns its model when built by {@link #load};
 * thread-safe.
 */
public final class HpsReward extends CosineReward {

  /**
   * A reward on an existing open_clip model (not owned).
   *
   * @param classNames names for class conditions, or {@code null} for text conditions only
   */
  public HpsReward(String name, ClipModel model, ClipTokenizer tokenizer, ClassNames classNames) {
    this(name, model, tokenizer, classNames, false, 8);
  }

  /** A reward that owns {@code model} (closed with the reward), scoring {@code batchSize} images per forward. */
  public static HpsReward owning(String name, ClipModel model, ClipTokenizer tokenizer, ClassNames classNames,
      int batchSize) {
    return new HpsReward(name, model, tokenizer, classNames, true, batchSize);
  }

  private HpsReward(String name, ClipModel model, ClipTokenizer tokenizer, ClassNames classNames, boolean owns,
      int batchSize) {
    super(name, model, owns, new ClipSimilarity(model, tokenizer, ClipPreprocess.openClip(model.config().imageSize()), classNames,
        batchSize));
  }

  /**
   * Loads HPSv2/v2.1 (open_clip ViT-H-14) from {@code checkpoint} ({@code .pt} with a {@code state_dict}
   * wrapper, or {@code .safetensors}) and the tokenizer from {@code bpe_simple_vocab_16e6.txt.gz}.
   */
  public static HpsReward load(Path checkpoint, Path bpeVocab, ClassNames classNames, Precision precision) {
    return load(ClipConfig.vitH14(), checkpoint, bpeVocab, classNames, precision);
  }

  /** As {@link #load(Path, Path, ClassNames, Precision)} for another open_clip config. */
  public static HpsReward load(ClipConfig config, Path checkpoint, Path bpeVocab, ClassNames classNames,
      Precision precision) {
    ClipTokenizer tok = ClipTokenizer.fromBpeVocab(bpeVocab);
    ClipModel model;
    try (WeightSource w = open(checkpoint)) {
      model = ClipModel.load(config, precision, w);
    }
    try {
      return new HpsReward("hpsv2", model, tok, classNames, true, 8);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Opens an HPS checkpoint, safetensors or a {@code torch.save} archive (told apart by content). */
  static WeightSource open(Path file) {
    try {
      return WeightFiles.open(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read HPS checkpoint " + file + ": " + e.getMessage(), e);
    }
  }
}
