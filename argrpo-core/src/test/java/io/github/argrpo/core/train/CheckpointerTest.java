package io.github.argrpo.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.toy.ToyPolicy;

/** Checkpoints are written atomically, pruned, and never load wrong. */
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
}
