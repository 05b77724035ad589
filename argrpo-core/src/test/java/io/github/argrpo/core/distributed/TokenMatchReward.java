package io.github.argrpo.core.distributed;

import java.util.List;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.toy.PaletteTokenizer;

/** Fraction of an image's patches that show palette colour {@code class}: a toy target GRPO can learn. */
final class TokenMatchReward implements RewardFunction {

  private final PaletteTokenizer palette = new PaletteTokenizer(6, 2);

  @Override
  public String name() {
    return "token_match";
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    long[] codes;
    try (PointerScope s = new PointerScope()) {
      Tensor c = palette.encode(images).contiguous();
      codes = new long[(int) c.numel()];
      new LongPointer(c.data_ptr_long()).get(codes);
    }
    int per = codes.length / images.count();
    double[] out = new double[images.count()];
    for (int i = 0; i < out.length; i++) {
      int target = ((ClassCondition) conditions.get(i)).label();
      for (int k = 0; k < per; k++) {
        out[i] += codes[i * per + k] == target ? 1.0 / per : 0;
      }
    }
    return RewardResult.named(name(), out);
  }

  @Override
  public void close() {
    palette.close();
  }
}
