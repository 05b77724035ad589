package io.github.argrpo.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.train.ConditionSource;

class HeldOutClassesTest {

  @Test
  void theTrainingDrawNeverYieldsAHeldOutClassAndReachesEveryOther() {
    HeldOutClasses split = new HeldOutClasses(10, List.of(7, 2, 2));
    assertThat(split.heldOutConditions()).containsExactly(Condition.ofClass(2), Condition.ofClass(7));
    ConditionSource train = split.trainingSource();
    Set<Integer> seen = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      for (Condition c : train.draw(16, seed)) {
        seen.add(((ClassCondition) c).label());
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(0, 1, 3, 4, 5, 6, 8, 9);
    assertThat(train.draw(16, 5)).isEqualTo(train.draw(16, 5));
  }

  @Test
  void badSplitsAreRefused() {
    assertThatThrownBy(() -> new HeldOutClasses(3, List.of(0, 1, 2))).hasMessageContaining("leaves none to train on");
    assertThatThrownBy(() -> new HeldOutClasses(3, List.of(3))).hasMessageContaining("must be in [0, 3)");
  }
}
