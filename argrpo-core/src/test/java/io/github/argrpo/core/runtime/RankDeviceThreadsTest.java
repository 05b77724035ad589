package io.github.argrpo.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.toy.ToyPolicy;
import io.github.argrpo.core.train.ConditionSource;
import io.github.argrpo.core.train.GrpoTrainer;
import io.github.argrpo.core.train.RunFolder;
import io.github.argrpo.core.train.TrainerConfig;

/**
 * CUDA's current device is per thread, so every thread that runs model or reward work must make the
 * rank's GPU current before it starts: the trainer's reward scorers and {@link LongLived}'s builder.
 * Without a GPU, CUDA's {@code set_device} is replaced by a recorder of the threads that called it.
 */
class RankDeviceThreadsTest {

  /** Each thread that made a GPU current, with the index it made current. */
  private final Map<Thread, Integer> madeCurrent = new ConcurrentHashMap<>();

  @AfterEach
  void forget() {
    RankDevice.resetForTests();
  }

  @Test
  void theRewardScorersRunOnTheRanksGpu(@TempDir Path dir) {
    NativeRuntime.init();
    RankDevice.selectForTests(1, index -> madeCurrent.put(Thread.currentThread(), index));
    Set<Thread> scorers = ConcurrentHashMap.newKeySet();
    TrainerConfig config = TrainerConfig.builder().steps(2).conditionsPerStep(2).groupSize(2).seed(1)
        .sampling(SamplingConfig.arGrpo()).grpo(GrpoConfig.builder().learningRate(0.01).beta(0.0).build())
        .checkpointEvery(0).keepCheckpoints(1).sampleEvery(0).sampleConditions(1).samplesPerCondition(1).build();
    try (ToyPolicy p = new ToyPolicy(2, 4, 3, 1); PaletteTokenizer tok = new PaletteTokenizer(3, 2);
        RewardFunction r = new RewardFunction() {
          @Override
          public String name() {
            return "thread_probe";
          }

          @Override
          public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
            scorers.add(Thread.currentThread());
            return RewardResult.of(new double[conditions.size()]);
          }
        };
        GrpoTrainer t = new GrpoTrainer(config, p, tok, r, ConditionSource.classes(2), RunFolder.create(dir))) {
      t.run();
    }
    assertThat(scorers).isNotEmpty().doesNotContain(Thread.currentThread());
    for (Thread s : scorers) {
      assertThat(madeCurrent).as("scorer thread %s made the rank's GPU current", s.getName()).containsEntry(s, 1);
    }
  }

  @Test
  void theModelBuilderThreadRunsOnTheRanksGpu() {
    RankDevice.selectForTests(3, index -> madeCurrent.put(Thread.currentThread(), index));
    Thread builder;
    try (PointerScope scope = new PointerScope()) {
      // an open scope sends the construction to LongLived's helper thread
      builder = LongLived.build(Thread::currentThread);
    }
    assertThat(builder).isNotSameAs(Thread.currentThread());
    assertThat(madeCurrent).containsEntry(builder, 3);
  }

  @Test
  void withoutASelectedGpuNothingIsMadeCurrent() {
    RankDevice.resetForTests();
    RankDevice.makeCurrent(); // would fail on the CPU build if it reached CUDA's set_device
    assertThat(RankDevice.selected()).isEmpty();
  }
}
