package io.github.argrpo.core.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.github.argrpo.core.condition.Condition;

/**
 * Where a run's conditions come from: ImageNet classes for class-to-image, a prompt file for
 * text-to-image. Draws are a pure function of the seed, which makes steps reproducible and resumable.
 */
public interface ConditionSource {

  /** {@code count} conditions for the draw identified by {@code seed} (equal seeds, equal draws). */
  List<Condition> draw(int count, long seed);

  /** Uniformly random classes in {@code [0, numClasses)} (with replacement), as the AR-GRPO c2i data. */
  static ConditionSource classes(int numClasses) {
    checkArgument(numClasses >= 1, "numClasses must be >= 1, got %s", numClasses);
    return (count, seed) -> {
      SplittableRandom r = new SplittableRandom(seed);
      List<Condition> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(Condition.ofClass(r.nextInt(numClasses)));
      }
      return out;
    };
  }

  /**
   * Conditions drawn without replacement from a fixed list (a prompt set), reshuffled per draw; when
   * more are asked for than the list holds, the list is reused.
   */
  static ConditionSource fromList(List<? extends Condition> all) {
    checkArgument(!all.isEmpty(), "the condition list is empty");
    List<Condition> copy = List.copyOf(all);
    return (count, seed) -> {
      SplittableRandom r = new SplittableRandom(seed);
      List<Condition> out = new ArrayList<>(count);
      List<Condition> pool = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (pool.isEmpty()) {
          pool.addAll(copy);
        }
        out.add(pool.remove(r.nextInt(pool.size())));
      }
      return out;
    };
  }
}
