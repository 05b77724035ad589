package io.github.argrpo.examples.run;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextEncoder;
import io.github.argrpo.core.train.ConditionSource;

/**
 * Text-to-image conditions: prompts drawn without replacement per draw (the list reused when a draw
 * needs more), encoded when drawn, so a 30k-prompt set never holds all its features in memory.
 */
public final class PromptConditions implements ConditionSource {

  private final List<String> prompts;
  private final TextEncoder encoder;

  /** @param prompts the prompt set; @param encoder supplies each prompt's features (not closed here) */
  public PromptConditions(List<String> prompts, TextEncoder encoder) {
    checkArgument(!prompts.isEmpty(), "the prompt list is empty");
    this.prompts = List.copyOf(prompts);
    this.encoder = encoder;
  }

  @Override
  public List<Condition> draw(int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Condition> out = new ArrayList<>(count);
    List<Integer> pool = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (pool.isEmpty()) {
        for (int k = 0; k < prompts.size(); k++) {
          pool.add(k);
        }
      }
      out.add(encoder.condition(prompts.get(pool.remove(r.nextInt(pool.size())))));
    }
    return out;
  }
}
