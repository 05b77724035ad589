package io.github.argrpo.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.toy.ToyPolicy;

/** Checkpoints are written atomically, pruned, replaced safely, carry the buffers, and never load wrong. */
class CheckpointerTest {

  @Test
  void anInterruptedWriteIsIgnoredAndCleanedUp(@TempDir Path dir) throws Exception {
    try (ToyPolicy p = new ToyPolicy(2, 3, 4, 1); AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, GrpoConfig.arGrpoPaper())) {
      Checkpointer c = new Checkpointer(dir, 2);
      c.save(1, 7, p, opt);
      // a process killed while writing step 2 leaves only its hidden temporary folder behind
      Path partial = Files.createDirectories(dir.resolve(".tmp-step-123"));
      Files.writeString(partial.resolve("policy.pt"), "half a file");
      assertThat(c.latest()).hasValueSatisfying(s -> assertThat(s.step()).isEqualTo(1));
      c.save(2, 7, p, opt);
      assertThat(partial).doesNotExist();
      c.save(3, 7, p, opt);
      assertThat(c.list()).extracting(Checkpointer.Saved::step).containsExactly(2, 3);
    }
  }

  @Test
  void aCheckpointOfAnotherModelIsRefusedBeforeAnythingIsOverwritten(@TempDir Path dir) {
    try (ToyPolicy small = new ToyPolicy(2, 3, 4, 1); ToyPolicy big = new ToyPolicy(2, 5, 4, 2);
        AdamWGrpoOptimizer a = new AdamWGrpoOptimizer(small, GrpoConfig.arGrpoPaper());
        AdamWGrpoOptimizer b = new AdamWGrpoOptimizer(big, GrpoConfig.arGrpoPaper())) {
      Checkpointer c = new Checkpointer(dir, 1);
      c.save(4, 0, small, a);
      float before = big.namedParameters().get("table").detach().contiguous().data_ptr_float().get(0);
      assertThatThrownBy(() -> c.load(c.latest().orElseThrow(), big, b)).hasMessageContaining("parameter 'table' has shape");
      assertThat(big.namedParameters().get("table").detach().contiguous().data_ptr_float().get(0)).isEqualTo(before);
    }
  }

  private static float first(Policy p) {
    return p.namedParameters().get("table").detach().contiguous().data_ptr_float().get(0);
  }

  private static void shift(Policy p, double by) {
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      for (Tensor t : p.trainableParameters()) {
        t.add_(new Scalar(by));
      }
    }
  }

  /**
   * Re-saving a step that exists, killed after each phase (new folder written, old moved aside, new
   * moved in): at every point a complete checkpoint of that step is found and loads, the old one until
   * the new one is in place; the next save tidies up.
   */
  @Test
  void aReSaveKilledAtAnyPointKeepsAValidCheckpoint(@TempDir Path dir) throws Exception {
    for (String phase : List.of("written", "old-aside", "new-in")) {
      Path d = dir.resolve(phase);
      try (ToyPolicy p = new ToyPolicy(2, 3, 4, 1); AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, GrpoConfig.arGrpoPaper());
          ToyPolicy q = new ToyPolicy(2, 3, 4, 9); AdamWGrpoOptimizer optQ = new AdamWGrpoOptimizer(q, GrpoConfig.arGrpoPaper())) {
        new Checkpointer(d, 2).save(1, 7, p, opt);
        float old = first(p);
        shift(p, 1.0);
        float updated = first(p);
        Checkpointer killed = new Checkpointer(d, 2, reached -> {
          if (reached.equals(phase)) {
            throw new IOException("killed after " + phase);
          }
        });
        assertThatThrownBy(() -> killed.save(1, 7, p, opt)).hasMessageContaining("killed after " + phase);

        Checkpointer fresh = new Checkpointer(d, 2);
        Checkpointer.Saved s = fresh.latest().orElseThrow(() -> new AssertionError("no checkpoint after a kill at " + phase));
        assertThat(s.step()).isEqualTo(1);
        fresh.load(s, q, optQ);
        assertThat(first(q)).as("loaded after a kill at %s", phase).isEqualTo(phase.equals("new-in") ? updated : old);

        fresh.save(1, 7, p, opt);
        try (Stream<Path> left = Files.list(d)) {
          assertThat(left.map(x -> x.getFileName().toString()).toList()).containsExactly("step-000001");
        }
        fresh.load(fresh.latest().orElseThrow(), q, optQ);
        assertThat(first(q)).isEqualTo(updated);
      }
    }
  }

  /** A toy policy with one buffer, the way LlamaGen t2i carries its unconditional caption embedding. */
  private static final class PolicyWithBuffer implements Policy {
    final ToyPolicy inner;
    final Tensor buffer;

    PolicyWithBuffer(long seed) {
      inner = new ToyPolicy(2, 3, 4, seed);
      buffer = Tensor.create(new float[] {1f, 2f, 3f}, 3);
      buffer.retainReference();
    }

    @Override public int sequenceLength() { return inner.sequenceLength(); }
    @Override public int vocabularySize() { return inner.vocabularySize(); }
    @Override public Rollouts sample(List<? extends Condition> c, int g, SamplingConfig s) { return inner.sample(c, g, s); }
    @Override public Tensor tokenLogProbs(List<? extends Condition> c, Tensor t, LogProbSource src, SamplingConfig s) {
      return inner.tokenLogProbs(c, t, src, s);
    }
    @Override public List<Tensor> trainableParameters() { return inner.trainableParameters(); }
    @Override public Map<String, Tensor> namedParameters() { return inner.namedParameters(); }
    @Override public Map<String, Tensor> namedBuffers() { return Map.of("uncond", buffer); }
    @Override public Policy frozenCopy() { return inner.frozenCopy(); }
    @Override public void setTraining(boolean training) { inner.setTraining(training); }
    @Override public void loadParametersFrom(Policy other) { inner.loadParametersFrom(other); }
    @Override public void close() {
      buffer.releaseReference();
      inner.close();
    }

    float[] bufferValues() {
      float[] f = new float[3];
      buffer.contiguous().data_ptr_float().get(f);
      return f;
    }

    void setBuffer(float... v) {
      try (PointerScope s = new PointerScope()) {
        buffer.copy_(Tensor.create(v, 3));
      }
    }
  }

  @Test
  void buffersAreSavedAndRestoredAndAnOldCheckpointKeepsTheCurrentOnes(@TempDir Path dir) throws Exception {
    try (PolicyWithBuffer p = new PolicyWithBuffer(1); AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, GrpoConfig.arGrpoPaper());
        PolicyWithBuffer q = new PolicyWithBuffer(2); AdamWGrpoOptimizer optQ = new AdamWGrpoOptimizer(q, GrpoConfig.arGrpoPaper())) {
      p.setBuffer(7f, 8f, 9f);
      Checkpointer c = new Checkpointer(dir, 1);
      Path saved = c.save(3, 0, p, opt);
      assertThat(saved.resolve("buffers.pt")).exists();
      c.load(c.latest().orElseThrow(), q, optQ);
      assertThat(q.bufferValues()).containsExactly(7f, 8f, 9f);
      assertThat(first(q)).isEqualTo(first(p));
      // readers of a checkpoint's weights alone (sampling, export) restore the buffers the same way
      q.setBuffer(0f, 0f, 0f);
      assertThat(Checkpointer.restoreBuffers(saved, q)).isTrue();
      assertThat(q.bufferValues()).containsExactly(7f, 8f, 9f);
      // a checkpoint written before buffers were saved: the policy keeps the buffer it has
      Files.delete(saved.resolve("buffers.pt"));
      q.setBuffer(4f, 5f, 6f);
      c.load(c.latest().orElseThrow(), q, optQ);
      assertThat(q.bufferValues()).containsExactly(4f, 5f, 6f);
      assertThat(Checkpointer.restoreBuffers(saved, q)).isFalse();
    }
  }
}
