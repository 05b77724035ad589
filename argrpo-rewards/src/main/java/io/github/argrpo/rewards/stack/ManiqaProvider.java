package io.github.argrpo.rewards.stack;

import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.rewards.torchscript.ImagePreprocessing;
import io.github.argrpo.rewards.torchscript.ManiqaReward;
import io.github.argrpo.rewards.torchscript.TorchScriptModel;

/**
 * {@code maniqa}: {@link ManiqaReward} (raw mean crop score; {@code scale: paper} is x2). Options:
 * {@code model} (required, the TorchScript export), {@code seed} (crop seed, default 0), {@code crops}
 * (default 20), {@code batch_size} (crops per forward, default 20), {@code device} ({@code cpu},
 * {@code cuda}, {@code cuda:N}, {@code auto}; default cpu), {@code truncate_8bit} (default true, as the
 * reference).
 */
public final class ManiqaProvider implements RewardProvider {

  @Override
  public String name() {
    return "maniqa";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(Set.of("model", "seed", "crops", "batch_size", "device", "truncate_8bit"));
    ImagePreprocessing pre = o.bool("truncate_8bit", true) ? ImagePreprocessing.maniqa() : ImagePreprocessing.minusOneToOne();
    int crops = o.intValue("crops", ManiqaReward.DEFAULT_CROPS);
    int batch = o.intValue("batch_size", ManiqaReward.DEFAULT_CROPS);
    long seed = o.longValue("seed", 0L);
    DeviceSpec device = DeviceSpec.parse(o.string("device", "cpu"));
    TorchScriptModel m = TorchScriptModel.load(o.existingFile("model"), device);
    try {
      return new ManiqaReward(m, true, crops, seed, batch, pre, ManiqaReward.NAME);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }
}
