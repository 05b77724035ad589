package io.github.argrpo.rewards.clip;

import java.nio.file.Path;
import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.rewards.stack.RewardOptions;
import io.github.argrpo.rewards.stack.RewardProvider;
import io.github.argrpo.rewards.stack.RewardSpec;
import io.github.argrpo.rewards.text.ClassNames;

/**
 * {@code clip}: {@link ClipScoreReward}, the raw cosine ({@code scale: paper} is x5). Options:
 * {@code weights} (required; safetensors, Hugging Face or OpenAI names), {@code tokenizer}
 * ({@code bpe_simple_vocab_16e6.txt.gz} or a folder with {@code vocab.json} + {@code merges.txt};
 * default the folder of {@code weights}), {@code class_names} (file, one name per line; needed for
 * class-to-image), {@code model} ({@code vit-b-32}, the default and AR-GRPO's, or {@code vit-l-14}),
 * {@code precision} ({@code fp32} default, {@code bf16}), {@code device} ({@code cpu} default,
 * {@code cuda}, {@code cuda:N}, {@code auto}), {@code batch_size} (images per forward, 16).
 *
 * <pre>{@code
 * rewards:
 *   - {name: clip, scale: paper, options: {weights: /models/clip-vit-base-patch32/model.safetensors,
 *                                          class_names: /data/imagenet_class_names.txt}}
 * }</pre>
 */
public final class ClipRewardProvider implements RewardProvider {

  @Override
  public String name() {
    return "clip";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts()
        .requireOnly(Set.of("weights", "tokenizer", "class_names", "model", "precision", "device", "batch_size"));
    Path weights = o.existingFile("weights");
    Path tokPath = o.has("tokenizer") ? Path.of(o.string("tokenizer")) : weights.toAbsolutePath().getParent();
    // AR-GRPO tokenizes CLIP texts with the Hugging Face fast tokenizer: no HTML unescape.
    ClipTokenizer tok = ClipTokenizer.locate(tokPath).withCleaning(ClipTextCleaning.HUGGING_FACE);
    ClassNames names = o.has("class_names") ? ClassNames.read(o.existingFile("class_names")) : null;
    ClipConfig cfg = o.choice("model", Set.of("vit-b-32", "vit-l-14"), "vit-b-32").equals("vit-l-14")
        ? ClipConfig.vitL14() : ClipConfig.vitB32();
    Precision precision = Precision.parse(o.string("precision", "fp32"));
    DeviceSpec device = DeviceSpec.parse(o.string("device", "cpu"));
    ClipModel model = ClipModel.load(cfg, precision, weights);
    try {
      if (device.isCuda()) {
        model.toDevice(device.toDevice());
      }
      return ClipScoreReward.owning("clip", model, tok, names, o.intValue("batch_size", 16));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
