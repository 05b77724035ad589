package io.github.argrpo.rewards.stack;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.rewards.torchscript.ImagePreprocessing.ResizeMode;
import io.github.argrpo.rewards.torchscript.ImagePreprocessing;
import io.github.argrpo.rewards.torchscript.TorchScriptReward;

/**
 * {@code torchscript}: any exported scorer, {@link TorchScriptReward}. Options: {@code model} (required),
 * {@code batch_size} (default 16), {@code device} (default cpu), {@code resize} ({@code [h, w]} or one
 * number for a square; default none), {@code resize_mode} ({@code bicubic_antialias} default,
 * {@code bilinear_antialias}, {@code bilinear}), {@code mean} and {@code std} (one number or three;
 * defaults 0 and 1), {@code truncate_8bit} (default false).
 */
public final class TorchScriptProvider implements RewardProvider {

  @Override
  public String name() {
    return "torchscript";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(
        Set.of("model", "batch_size", "device", "resize", "resize_mode", "mean", "std", "truncate_8bit"));
    ImagePreprocessing.Builder b = ImagePreprocessing.builder().truncate8Bit(o.bool("truncate_8bit", false));
    if (o.has("resize")) {
      double[] r = o.doubles("resize", null);
      checkArgument(r.length >= 1 && r.length <= 2 && r[0] == Math.rint(r[0])
              && r[r.length - 1] == Math.rint(r[r.length - 1]),
          "reward 'torchscript': option 'resize' must be one integer or [height, width], got %s", Arrays.toString(r));
      b.resize((int) r[0], (int) r[r.length - 1]);
    }
    b.resizeMode(ResizeMode.valueOf(o.choice("resize_mode",
        Set.of("bicubic_antialias", "bilinear_antialias", "bilinear"), "bicubic_antialias").toUpperCase(Locale.ROOT)));
    b.meanStd(three(o.doubles("mean", new double[] {0}), "mean"), three(o.doubles("std", new double[] {1}), "std"));
    DeviceSpec device = DeviceSpec.parse(o.string("device", "cpu"));
    return TorchScriptReward.load(o.existingFile("model"), b.build(), o.intValue("batch_size", 16), name(), device);
  }

  private static float[] three(double[] v, String key) {
    if (v.length == 1) {
      return new float[] {(float) v[0], (float) v[0], (float) v[0]};
    }
    if (v.length == 3) {
      return new float[] {(float) v[0], (float) v[1], (float) v[2]};
    }
    throw new IllegalArgumentException("reward 'torchscript': option '" + key + "' needs 1 or 3 numbers, got " + v.length);
  }
}
