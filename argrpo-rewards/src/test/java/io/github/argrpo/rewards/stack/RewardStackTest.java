package io.github.argrpo.rewards.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.rewards.pixel.ColorfulnessReward;
import io.github.argrpo.rewards.pixel.JpegCompressibilityReward;
import io.github.argrpo.rewards.pixel.SharpnessReward;

class RewardStackTest {

  private static List<Condition> conds(int n) {
    return Collections.nCopies(n, Condition.ofClass(1));
  }

  private static ImageBatch noise(int n, int side) {
    Random rnd = new Random(4);
    float[] d = new float[n * 3 * side * side];
    for (int k = 0; k < d.length; k++) {
      d[k] = rnd.nextFloat();
    }
    return ImageBatch.fromArray(d, n, side, side);
  }

  @Test
  void serviceLoaderFindsEveryRewardOfThisModule() {
    assertThat(RewardProviders.load().names()).containsExactlyInAnyOrder("sharpness", "colorfulness", "jpeg_compressibility",
        "maniqa", "torchscript", "vlm_judge_quality", "vlm_judge_fake", "vlm_judge_weird", "clip", "hpsv2");
  }

  @Test
  void unknownRewardListsTheAvailableOnes() {
    assertThatThrownBy(() -> RewardStack.fromSpecs(List.of(RewardSpec.builder("sharpnes").build())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown reward 'sharpnes'")
        .hasMessageContaining("available: [clip, colorfulness, hpsv2, jpeg_compressibility, maniqa, sharpness, torchscript");
  }

  @Test
  void yamlStackOfWeightFreeRewardsIsTheWeightedSumOfItsParts() {
    String yaml = """
        rewards:
          - name: sharpness
            weight: 0.5
            options: {tau: 1000}
          - name: colorfulness
            scale: 2
          - name: jpeg_compressibility
            weight: 0.1
            options:
              quality: 0.9
              unit: bits_per_pixel
        """;
    try (ImageBatch images = noise(2, 16); RewardStack stack = RewardStack.fromYaml(yaml)) {
      RewardResult r = stack.score(images, conds(2));
      double[] sharp = SharpnessReward.tanh(1000).score(images, conds(2)).scores();
      double[] colour = ColorfulnessReward.normalized().score(images, conds(2)).scores();
      double[] jpeg = JpegCompressibilityReward.compressibility(JpegCompressibilityReward.Unit.BITS_PER_PIXEL, 0.9f)
          .score(images, conds(2)).scores();
      for (int i = 0; i < 2; i++) {
        assertThat(r.score(i)).isCloseTo(0.5 * sharp[i] + 2 * colour[i] + 0.1 * jpeg[i], within(1e-9));
      }
      assertThat(r.components()).containsOnlyKeys("sharpness", "colorfulness", "jpeg_compressibility");
      assertThat(r.components().get("colorfulness")[0]).isCloseTo(2 * colour[0], within(1e-9));
    }
  }

  @Test
  void quantizesScalesSharesAndClosesOnce() {
    ConstantProvider clip = new ConstantProvider("clip");
    RewardProviders reg = RewardProviders.of(List.of(clip));
    List<RewardSpec> specs = List.of(
        RewardSpec.builder("clip").paperScale().option("value", 0.31).build(),
        RewardSpec.builder("clip").quantize(true).option("value", 0.31).build(),
        RewardSpec.builder("clip").label("clip_other").weight(2).option("value", -0.2).option("extra", true).build());
    try (ImageBatch images = noise(3, 4)) {
      RewardStack stack = RewardStack.fromSpecs(specs, reg);
      RewardResult r = stack.score(images, conds(3));
      // 5 * 0.31 + q(0.31) + 2 * (-0.2), with q(0.31) = 1 (the [0.3, 0.6) step)
      assertThat(r.score(0)).isCloseTo(1.55 + 1.0 - 0.4, within(1e-12));
      assertThat(r.components()).containsOnlyKeys("clip", "clip_quantize", "clip_other", "clip/extra");
      assertThat(r.components().get("clip_quantize")).containsExactly(1.0, 1.0, 1.0);
      assertThat(r.components().get("clip_other")).containsExactly(-0.2, -0.2, -0.2);
      // equal options share one base, computed once per call
      assertThat(clip.created).hasValue(2);
      assertThat(clip.calls).hasValue(2);
      stack.score(images, conds(3));
      assertThat(clip.calls).hasValue(4);
      stack.close();
      assertThat(clip.closed).hasValue(2);
    }
  }

  @Test
  void yamlAliasesAreRejectedWithAHint() {
    // Jackson's YAML reader does not expand aliases of maps: it hands over the alias name as a string
    assertThatThrownBy(() -> RewardStack.parseYaml("""
        rewards:
          - name: vlm_judge_quality
            options: &judge
              endpoint: http://h:20004/v1
          - {name: vlm_judge_fake, options: *judge}
        """)).hasMessageContaining("rewards[1].options must be a mapping")
        .hasMessageContaining("aliases");
  }

  @Test
  void yamlErrorsNameTheKey() {
    assertThatThrownBy(() -> RewardStack.parseYaml("rewards:\n  - name: sharpness\n    wieght: 2\n"))
        .hasMessageContaining("unknown configuration key 'rewards[0].wieght'")
        .hasMessageContaining("allowed here: name, label, weight, scale, quantize, options");
    assertThatThrownBy(() -> RewardStack.parseYaml("reward:\n  - name: sharpness\n"))
        .hasMessageContaining("unknown configuration key 'reward' (allowed here: rewards)");
    assertThatThrownBy(() -> RewardStack.parseYaml("rewards:\n  - name: sharpness\n    scale: paper\n"))
        .hasMessageContaining("'sharpness' has no paper scale");
    assertThatThrownBy(() -> RewardStack.parseYaml("rewards:\n  - name: maniqa\n    scale: lots\n"))
        .hasMessageContaining("'scale' must be a number or 'paper', got 'lots'");
    assertThatThrownBy(() -> RewardStack.parseYaml("rewards:\n  - name: maniqa\n    quantize: maybe\n"))
        .hasMessageContaining("rewards[0].quantize must be true or false, got 'maybe'");
    assertThatThrownBy(() -> RewardStack.parseYaml("rewards: [\n")).hasMessageContaining("malformed YAML in reward config");
    assertThatThrownBy(() -> RewardStack.parseYaml("rewards: []\n")).hasMessageContaining("non-empty list");
    assertThatThrownBy(() -> RewardStack.parseYaml("rewards:\n  - weight: 1\n")).hasMessageContaining("'name' is required");
  }

  @Test
  void unknownOptionsAndMissingFilesAreClearErrors() {
    assertThatThrownBy(() -> RewardStack.fromYaml("rewards:\n  - name: sharpness\n    options: {tua: 3}\n"))
        .hasMessageContaining("reward 0 ('sharpness')").hasMessageContaining("unknown option 'tua'")
        .hasMessageContaining("known options: [tau]");
    assertThatThrownBy(() -> RewardStack.fromYaml("rewards:\n  - name: maniqa\n    options: {model: /no/such/maniqa.pt}\n"))
        .hasMessageContaining("option 'model' names a file that does not exist").hasMessageContaining("/no/such/maniqa.pt");
    assertThatThrownBy(() -> RewardStack.fromYaml("rewards:\n  - name: maniqa\n"))
        .hasMessageContaining("option 'model' is required");
    assertThatThrownBy(() -> RewardStack.fromYaml("rewards:\n  - name: sharpness\n  - name: sharpness\n"))
        .hasMessageContaining("two rewards are reported as 'sharpness'");
  }

  @Test
  void aFailingPartClosesThePartsAlreadyMade() {
    ConstantProvider ok = new ConstantProvider("clip");
    RewardProviders reg = RewardProviders.of(List.of(ok, new ConstantProvider("hpsv2")));
    List<RewardSpec> specs = List.of(RewardSpec.builder("clip").build(),
        RewardSpec.builder("hpsv2").option("bogus", 1).build());
    assertThatThrownBy(() -> RewardStack.fromSpecs(specs, reg)).hasMessageContaining("reward 1 ('hpsv2')")
        .hasMessageContaining("unknown option 'bogus'");
    assertThat(ok.closed).hasValue(1);
  }

  @Test
  void resolvedYamlRoundTrips(@TempDir Path tmp) throws Exception {
    List<RewardSpec> specs = List.of(
        RewardSpec.builder("sharpness").weight(0.5).option("tau", 100.0).build(),
        RewardSpec.builder("maniqa").paperScale().option("model", "/x/m.pt").option("seed", 3).build(),
        RewardSpec.builder("vlm_judge_fake").quantize(true).option("endpoint", "http://h/v1").build());
    String yaml = RewardStack.toYaml(specs);
    assertThat(yaml).contains("scale: 2.0").contains("label: vlm_judge_fake_quantize");
    Path f = Files.writeString(tmp.resolve("r.yaml"), yaml);
    List<RewardSpec> back = RewardStack.parseYaml(Files.readString(f));
    assertThat(back).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(back.get(i).metricName()).isEqualTo(specs.get(i).metricName());
      assertThat(back.get(i).scale()).isEqualTo(specs.get(i).scale());
      assertThat(back.get(i).weight()).isEqualTo(specs.get(i).weight());
      assertThat(back.get(i).quantize()).isEqualTo(specs.get(i).quantize());
      assertThat(back.get(i).options()).isEqualTo(specs.get(i).options());
    }
    assertThat(RewardStack.toYaml(List.of(RewardSpec.builder("vlm_judge_fake").option("api_key", "sk-1").build())))
        .doesNotContain("sk-1");
  }

  @Test
  void paperPresetsDescribeTheEightFunctions() {
    Map<String, Map<String, Object>> opts = Map.of("vlm_judge", Map.of("endpoint", "http://h/v1", "class_names", "c.txt"));
    List<RewardSpec> c2i = RewardStack.arGrpoC2i(opts);
    assertThat(c2i).extracting(RewardSpec::metricName).containsExactly("clip", "clip_quantize", "hpsv2", "hpsv2_quantize",
        "maniqa", "vlm_judge_quality", "vlm_judge_fake", "vlm_judge_weird");
    assertThat(c2i).extracting(RewardSpec::scale).containsExactly(5.0, 1.0, 5.0, 1.0, 2.0, 0.25, 0.25, 0.25);
    assertThat(c2i).extracting(RewardSpec::weight).containsOnly(1.0);
    assertThat(c2i).extracting(RewardSpec::quantize).containsExactly(false, true, false, true, false, false, false, false);
    assertThat(RewardStack.arGrpoT2i(Map.of())).hasSize(8);
    assertThatThrownBy(() -> RewardStack.arGrpoC2i(Map.of())).hasMessageContaining("class_names");
    assertThatThrownBy(() -> RewardStack.arGrpoT2i(Map.of("clipp", Map.of()))).hasMessageContaining("unknown options group 'clipp'");
  }
}
