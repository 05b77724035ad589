package io.github.argrpo.examples.extend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.reward.RewardResult;

/** The two tutorials of docs/architecture.md ("Extension points"), run with tiny arguments. */
class ExtensionExamplesTest {

  @Test
  void aJavaRewardIsFoundByItsProviderAndScoresAsHandWorked() {
    RewardResult r = CustomRewardExample.runExample(new String[0]);
    // flat images have zero Laplacian variance: sharpness tanh(0 / tau) = 0, so the total is the colour term.
    // orange vs orange: distance 0 -> 1; blue (0, .4, 1) vs orange (1, .5, 0): sqrt(1 + .01 + 1) = 1.41774;
    // grey (.5, .5, .5): sqrt(.25 + 0 + .25) = .70711; score = 1 - d / sqrt(3)
    assertThat(r.score(0)).isCloseTo(1.0, within(1e-6));
    assertThat(r.score(1)).isCloseTo(1 - Math.sqrt(2.01) / Math.sqrt(3), within(1e-6));
    assertThat(r.score(2)).isCloseTo(1 - Math.sqrt(0.5) / Math.sqrt(3), within(1e-6));
    assertThat(r.components()).containsKeys("target_colour", "sharpness");
    assertThat(r.components().get("sharpness")).containsOnly(0.0);
  }

  @Test
  void theGrusTeacherForcedLogProbsEqualLibtorchsOwnGruCell() {
    try (GruPolicy p = new GruPolicy(3, 6, 5, 8, 7); PointerScope scope = new PointerScope()) {
      List<Condition> conds = List.of(Condition.ofClass(2), Condition.ofClass(0));
      Rollouts r = p.sample(conds, 2, SamplingConfig.plain().withSeed(5));
      Tensor lp = p.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.CONDITIONAL, SamplingConfig.plain());
      // independent forward: libtorch's aten::gru_cell (PyTorch's nn.GRUCell kernel) with the same weights
      Map<String, Tensor> w = p.namedParameters();
      long[][] toks = r.tokensAsArray();
      long[] labels = {2, 2, 0, 0};
      float[] got = new float[4 * 6];
      lp.contiguous().data_ptr_float().get(got);
      for (int row = 0; row < 4; row++) {
        Tensor h = torch.zeros(1, 8);
        long prev = 5;   // start token = vocab
        for (int t = 0; t < 6; t++) {
          Tensor x = w.get("token_embedding").select(0, prev).add(w.get("class_embedding").select(0, labels[row])).unsqueeze(0);
          h = torch.gru_cell(x, h, w.get("gru_weight_ih"), w.get("gru_weight_hh"), new TensorOptional(
              w.get("gru_bias_ih")), new TensorOptional(w.get("gru_bias_hh")));
          Tensor logits = torch.linear(h, w.get("head_weight"), w.get("head_bias"));
          double expected = torch.log_softmax(logits, -1).select(1, toks[row][t]).item_double();
          assertThat((double) got[row * 6 + t]).isCloseTo(expected, within(1e-5));
          prev = toks[row][t];
        }
      }
      // unguided plain sampling: the sampler's own log-probs are the teacher-forced ones
      float[] sampled = new float[4 * 6];
      r.samplingLogProbs().contiguous().data_ptr_float().get(sampled);
      assertThat(sampled).containsExactly(got, Offset.offset(1e-5f));
      r.close();
    }
  }

  @Test
  void theGrpoTrainerTeachesTheGruTheRewardedColour(@TempDir Path dir) {
    CustomPolicyExample.Result res = CustomPolicyExample.runExample(new String[] {"40", dir.toString()});
    assertThat(res.steps()).hasSize(40);
    assertThat(res.lastReward()).isGreaterThan(res.firstReward() + 0.1);
    assertThat(dir.resolve("metrics.jsonl")).exists();
  }
}
