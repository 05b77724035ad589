package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.examples.run.RunConfig;
import io.github.argrpo.models.llamagen.ModelType;
import io.github.argrpo.rewards.stack.RewardSpec;
import io.github.argrpo.rewards.stack.RewardStack;

/** Every bundled config parses, validates and resolves (weights need not be present). */
class BundledConfigsTest {

  @Test
  void everyBundledConfigValidates() {
    for (String name : RunConfig.BUNDLED) {
      RunConfig c = RunConfig.load(name, List.of(), true);
      assertThat(c.source()).isEqualTo("bundled:" + name);
      assertThat(c.trainer().groupSize()).as(name).isEqualTo(8);
      assertThat(c.trainer().conditionsPerStep()).as(name).isEqualTo(8);
      assertThat(c.trainer().sampling().cfgScale()).as(name).isEqualTo(2.0);
      assertThat(c.trainer().grpo().learningRate()).as(name).isEqualTo(1e-5);
    }
  }

  @Test
  void tableTwoRowsHaveTheirResolutionAndModel() {
    RunConfig xl = RunConfig.load("c2i_XL_384", List.of(), true);
    assertThat(xl.model().gpt().dim()).isEqualTo(1280);
    assertThat(xl.model().gpt().nLayer()).isEqualTo(36);
    assertThat(xl.model().gpt().blockSize()).isEqualTo(576);
    assertThat(xl.model().gpt().numClasses()).isEqualTo(1000);
    assertThat(xl.model().weights().toString()).isEqualTo("models/c2i_XL_384.pt");
    assertThat(xl.trainer().steps()).isEqualTo(400);
    RunConfig b = RunConfig.load("c2i_B_256", List.of(), true);
    assertThat(b.model().gpt().dim()).isEqualTo(768);
    assertThat(b.model().gpt().blockSize()).isEqualTo(256);
    assertThat(RunConfig.load("c2i_L_384", List.of(), true).model().gpt().nLayer()).isEqualTo(24);
  }

  @Test
  void textToImageConfigIsStageOneXlWithT5Features() {
    RunConfig t = RunConfig.load("t2i_XL_256", List.of(), true);
    assertThat(t.model().gpt().modelType()).isEqualTo(ModelType.TEXT_TO_IMAGE);
    assertThat(t.model().gpt().clsTokenNum()).isEqualTo(120);
    assertThat(t.model().gpt().captionDim()).isEqualTo(2048);
    assertThat(t.model().gpt().blockSize()).isEqualTo(256);
    assertThat(t.model().precision()).isEqualTo(Precision.BF16);
    assertThat(t.conditions().isText()).isTrue();
    assertThat(t.conditions().features()).isNotNull();
    assertThat(t.conditions().t5()).isNull();
    assertThat(t.trainer().steps()).isEqualTo(600);

    // the native encoder instead of the store, as the config's comment says
    RunConfig n = RunConfig.load("t2i_XL_256", List.of("conditions.features=null", "conditions.t5=models/flan-t5-xl"), true);
    assertThat(n.conditions().features()).isNull();
    assertThat(n.conditions().t5()).hasToString("models/flan-t5-xl");
    assertThat(n.conditions().t5Precision()).isEqualTo(Precision.BF16);
  }

  @Test
  void ablationsAddRewardGroupsInOrder() {
    int[] parts = {2, 4, 5, 8};
    String[] names = {"A", "B", "C", "D"};
    for (int i = 0; i < names.length; i++) {
      List<RewardSpec> specs = RewardStack.parseYaml(RunConfig.load("ablation_" + names[i], List.of(), true).rewardsYaml());
      assertThat(specs).as(names[i]).hasSize(parts[i]);
    }
    List<String> full = RewardStack.parseYaml(RunConfig.load("ablation_D", List.of(), true).rewardsYaml()).stream()
        .map(RewardSpec::metricName).toList();
    assertThat(full).containsExactly("clip", "clip_quantize", "hpsv2", "hpsv2_quantize", "maniqa", "vlm_judge_quality",
        "vlm_judge_fake", "vlm_judge_weird");
  }

  @Test
  void dryRunPrintsTheResolvedConfig() {
    Cli.Result r = Cli.run("train", "-c", "c2i_B_384", "--out", "unused", "--dry-run", "--set", "trainer.steps=7");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("steps: 7").contains("config OK").contains("384px");
  }
}
