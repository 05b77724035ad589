package io.github.argrpo.rewards.stack;

import java.util.Locale;
import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.rewards.torchscript.CropDraw;
import io.github.argrpo.rewards.torchscript.ImagePreprocessing;
import io.github.argrpo.rewards.torchscript.ManiqaReward;
import io.github.argrpo.rewards.torchscript.TorchScriptModel;

/**
 * {@code maniqa}: {@link ManiqaReward} (raw mean crop score; {@code scale: paper} is x2). Options:
 * {@code model} (required, the TorchScript export), {@code seed} (crop seed, default 0), {@code crops}
 * (default 20), {@code batch_size} (crops per forward, default 20), {@code device} ({@code cpu},
 * {@code cuda}, {@code cuda:N}, {@code auto}; default cpu), {@code truncate_8bit} (default true, as the
 * reference), {@code crop_draw} ({@code per_call}, the default: new windows every call, shared by its
 * images; {@code per_image}: the reference's fresh windows per image; {@code fixed}: the same windows every
 * call, for evaluation only, see {@link CropDraw}).
 */
public final class ManiqaProvider implements RewardProvider {

  @Override
  public String name() {
    return "maniqa";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(Set.of("model", "seed", "crops", "batch_size", "device", "truncate_8bit",
        "crop_draw"));
    ImagePreprocessing pre = o.bool("truncate_8bit", true) ? ImagePreprocessing.maniqa() : ImagePreprocessing.minusOneToOne();
    int crops = o.intValue("crops", ManiqaReward.DEFAULT_CROPS);
    int batch = o.intValue("batch_size", ManiqaReward.DEFAULT_CROPS);
    long seed = o.longValue("seed", 0L);
    CropDraw draw = CropDraw.valueOf(o.choice("crop_draw", Set.of("per_call", "per_image", "fixed"), "per_call")
        .toUpperCase(Locale.ROOT));
    DeviceSpec device = DeviceSpec.parse(o.string("device", "cpu"));
    TorchScriptModel m = TorchScriptModel.load(o.existingFile("model"), device);
    try {
      return new ManiqaReward(m, true, crops, seed, batch, pre, ManiqaReward.NAME, draw);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }
}
