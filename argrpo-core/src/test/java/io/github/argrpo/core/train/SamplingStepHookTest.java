package io.github.argrpo.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.toy.ToyPolicy;

/**
 * {@link TrainingListener#onSamplingStep}: called where the trainer used to draw its plots, at every
 * {@code sampleEvery}-th step and the last one, after the step's grid and before its checkpoint, with
 * the whole run's history. The expected steps are worked from the schedule by hand.
 */
class SamplingStepHookTest {

  private static final int CLASSES = 4;
  private static final int COLOURS = 6;

  /** One call: the step, the steps of its history, and what the run folder held at that moment. */
  private record Call(int step, List<Integer> historySteps, boolean gridWritten, boolean checkpointWritten) {}

  private static List<Call> train(Path dir, int steps) {
    RunFolder folder = RunFolder.create(dir);
    List<Call> calls = new ArrayList<>();
    TrainerConfig cfg = TrainerConfig.builder().steps(steps).conditionsPerStep(2).groupSize(4).seed(3)
        .sampling(SamplingConfig.arGrpo()).grpo(GrpoConfig.builder().learningRate(0.05).beta(0.02).build())
        .checkpointEvery(2).keepCheckpoints(5).sampleEvery(2).sampleConditions(2).samplesPerCondition(2).build();
    try (ToyPolicy p = new ToyPolicy(CLASSES, 9, COLOURS, 3); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(cfg, p, tok, r, ConditionSource.classes(CLASSES), folder)) {
      t.addListener(new TrainingListener() {
        @Override
        public void onSamplingStep(int step, List<StepRecord> history) {
          calls.add(new Call(step, history.stream().map(StepRecord::step).toList(),
              Files.exists(folder.sampleGrid(step)),
              Files.exists(dir.resolve(String.format("checkpoints/step-%06d", step)))));
        }
      });
      t.run();
    }
    return calls;
  }

  @Test
  void calledAtEverySamplingStepAndTheLastWithTheWholeHistory(@TempDir Path dir) {
    // sampleEvery 2 over 5 steps: 2, 4, and 5 (the last)
    assertThat(train(dir, 5)).containsExactly(
        new Call(2, List.of(1, 2), true, false),
        new Call(4, List.of(1, 2, 3, 4), true, false),
        new Call(5, List.of(1, 2, 3, 4, 5), true, false));
  }

  @Test
  void aResumedRunSeesTheStepsBeforeTheResume(@TempDir Path dir) {
    assertThat(train(dir, 3)).extracting(Call::step).containsExactly(2, 3);
    // resumed after the step-3 checkpoint: steps 4 (sampling) and 5 (the last) are run now
    assertThat(train(dir, 5)).extracting(Call::step, Call::historySteps).containsExactly(
        Tuple.tuple(4, List.of(1, 2, 3, 4)),
        Tuple.tuple(5, List.of(1, 2, 3, 4, 5)));
  }
}
