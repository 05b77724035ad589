package io.github.argrpo.rewards.stack;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/**
 * A test provider under any name: every image scores option {@code value}; with option {@code extra}
 * the result also carries a component {@code <name>/extra}. Counts creations, calls and closes.
 */
final class ConstantProvider implements RewardProvider {

  final String name;
  final AtomicInteger created = new AtomicInteger();
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();

  ConstantProvider(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(Set.of("value", "extra"));
    double v = o.doubleValue("value", 0);
    boolean extra = o.bool("extra", false);
    created.incrementAndGet();
    return new RewardFunction() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
        calls.incrementAndGet();
        double[] s = new double[images.count()];
        Arrays.fill(s, v);
        Map<String, double[]> c = new LinkedHashMap<>();
        c.put(name, s);
        if (extra) {
          c.put(name + "/extra", new double[images.count()]);
        }
        return new RewardResult(s, c);
      }

      @Override
      public void close() {
        closed.incrementAndGet();
      }
    };
  }
}
