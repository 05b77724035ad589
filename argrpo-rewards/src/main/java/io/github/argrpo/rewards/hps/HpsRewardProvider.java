package io.github.argrpo.rewards.hps;

import java.nio.file.Path;
import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.rewards.clip.ClipTextCleaning;
import io.github.argrpo.rewards.clip.ClipTokenizer;
import io.github.argrpo.rewards.stack.RewardOptions;
import io.github.argrpo.rewards.stack.RewardProvider;
import io.github.argrpo.rewards.stack.RewardSpec;
import io.github.argrpo.rewards.text.ClassNames;
import io.github.argrpo.weights.WeightSource;

/**
 * {@code hpsv2}: {@link HpsReward}, the raw HPS cosine ({@code scale: paper} is x5). Options:
 * {@code weights} (required; {@code HPS_v2.1_compressed.pt} or a safetensors conversion),
 * {@code tokenizer} ({@code bpe_simple_vocab_16e6.txt.gz} or a folder holding it or Hugging Face's
 * {@code vocab.json} + {@code merges.txt}; default the folder of {@code weights}), {@code class_names}
 * (file, one name per line; needed for class-to-image), {@code precision} ({@code fp32} default,
 * {@code bf16}), {@code device} ({@code cpu} default, {@code cuda}, {@code cuda:N}, {@code auto}),
 * {@code batch_size} (images per forward, 8).
 *
 * <pre>{@code
 * rewards:
 *   - {name: hpsv2, scale: paper, options: {weights: /models/HPS_v2.1_compressed.pt,
 *                                           tokenizer: /models/bpe_simple_vocab_16e6.txt.gz}}
 * }</pre>
 */
public final class HpsRewardProvider implements RewardProvider {

  @Override
  public String name() {
    return "hpsv2";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts()
        .requireOnly(Set.of("weights", "tokenizer", "class_names", "precision", "device", "batch_size"));
    Path weights = o.existingFile("weights");
    Path tokPath = o.has("tokenizer") ? Path.of(o.string("tokenizer")) : weights.toAbsolutePath().getParent();
    // open_clip's tokenizer (HPSv2) cleans like OpenAI's: HTML unescape included.
    ClipTokenizer tok = ClipTokenizer.locate(tokPath).withCleaning(ClipTextCleaning.OPENAI);
    ClassNames names = o.has("class_names") ? ClassNames.read(o.existingFile("class_names")) : null;
    Precision precision = Precision.parse(o.string("precision", "fp32"));
    DeviceSpec device = DeviceSpec.parse(o.string("device", "cpu"));
    ClipModel model;
    try (WeightSource w = HpsReward.open(weights)) {
      model = ClipModel.load(ClipConfig.vitH14(), precision, w);
    }
    try {
      if (device.isCuda()) {
        model.toDevice(device.toDevice());
      }
      return HpsReward.owning("hpsv2", model, tok, names, o.intValue("batch_size", 8));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
