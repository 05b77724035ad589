package io.github.argrpo.core.train;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.toy.PaletteTokenizer;

/** Test reward: fraction of pixels whose colour is the palette colour of the image's class. */
final class TargetColourReward implements RewardFunction {

  private final PaletteTokenizer palette;
  private final long sleepMillis;
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger maxRunning = new AtomicInteger();

  TargetColourReward(PaletteTokenizer palette, long sleepMillis) {
    this.palette = palette;
    this.sleepMillis = sleepMillis;
  }

  @Override
  public String name() {
    return "target_colour";
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardFunction.checkCounts(images, conditions, name());
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
    try {
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
      double[] out = new double[images.count()];
      for (int i = 0; i < out.length; i++) {
        int cls = ((ClassCondition) conditions.get(i)).label();
        float[] c = palette.colour(cls % palette.codebookSize());
        float[] px = images.pixels(i);
        int plane = images.height() * images.width();
        int hit = 0;
        for (int k = 0; k < plane; k++) {
          float d = Math.abs(px[k] - c[0]) + Math.abs(px[plane + k] - c[1]) + Math.abs(px[2 * plane + k] - c[2]);
          hit += d < 0.05f ? 1 : 0;
        }
        out[i] = (double) hit / plane;
      }
      return new RewardResult(out, Map.of("target_colour", out.clone()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      running.decrementAndGet();
    }
  }
}
