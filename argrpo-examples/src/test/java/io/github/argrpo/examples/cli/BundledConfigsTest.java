package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.core.train.TrainerConfig;
import io.github.argrpo.examples.run.RunConfig;
import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.ModelType;
import io.github.argrpo.rewards.stack.RewardSpec;

/**
 * Every bundled config parses and validates (weights need not be present), and every paper config is
 * the paper's run: the expected models, settings, reward groups, lambdas and evaluated steps are read
 * from tables copied from the paper ({@code src/test/resources/paper/}, see its README), never from
 * argrpo's own code.
 */
class BundledConfigsTest {

  private static final PaperTable RUNS = PaperTable.read("paper-runs.tsv");
  private static final PaperTable MODELS = PaperTable.read("paper-models.tsv");
  private static final Map<String, String> SETTINGS = PaperTable.read("paper-settings.tsv").asMap("setting", "value");
  private static final PaperTable GROUPS = PaperTable.read("paper-reward-groups.tsv");
  private static final PaperTable ABLATIONS = PaperTable.read("paper-reward-ablations.tsv");

  /** LlamaGen's VQ-16 turns an image side of s pixels into (s / 16)^2 tokens (llamagen.md). */
  private static final int VQ_DOWNSAMPLE = 16;

  @Test
  void everyBundledConfigValidates() {
    for (String name : RunConfig.BUNDLED) {
      RunConfig c = RunConfig.load(name, List.of(), true);
      assertThat(c.source()).isEqualTo("bundled:" + name);
      assertThat(c.rewards()).as(name).isNotEmpty();
    }
  }

  @Test
  void everyBundledConfigMicroBatchesItsPolicyPass() {
    // the policy pass of the paper's 8 x 8 GPT-B batch with gradients for all 64 sequences at once was killed for
    // memory on a 24 GB machine (bench step, 2026-12-04); micro-batches of 8 peak at 8.4 GB, same gradient
    for (String name : RunConfig.BUNDLED) {
      int micro = RunConfig.load(name, List.of(), true).trainer().grpo().microBatchSize();
      assertThat(micro).as(name).isBetween(1, 8);
    }
  }

  @Test
  void theBundledListIsTheConfigsFolder() throws IOException, URISyntaxException {
    Path folder = Path.of(RunConfig.class.getResource("/configs").toURI());
    List<String> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length())).toList();
    }
    assertThat(RunConfig.BUNDLED).containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void everyPaperRunIsBundledAndEveryOtherConfigSaysItIsAnExtra() {
    List<String> paper = RUNS.rows().stream().map(r -> r.get("config")).toList();
    assertThat(RunConfig.BUNDLED).containsAll(paper);
    for (String name : RunConfig.BUNDLED) {
      if (!paper.contains(name)) {
        assertThat(headerComment(name)).as(name + " is not a paper run: its header must say so")
            .startsWith("# EXTRA, not a paper row");
      } else {
        assertThat(headerComment(name)).as(name).contains("Follows the paper text");
      }
    }
  }

  @Test
  void paperConfigsHaveTheModelOfTheirRow() {
    for (Map<String, String> run : RUNS.rows()) {
      String name = run.get("config");
      RunConfig c = RunConfig.load(name, List.of(), true);
      GptConfig g = c.model().gpt();
      Map<String, String> model = MODELS.row("preset", run.get("preset")).orElseThrow();
      int size = Integer.parseInt(run.get("image_size"));
      assertThat(g.nLayer()).as(name).isEqualTo(Integer.parseInt(model.get("layers")));
      assertThat(g.dim()).as(name).isEqualTo(Integer.parseInt(model.get("hidden")));
      assertThat(g.nHead()).as(name).isEqualTo(Integer.parseInt(model.get("heads")));
      assertThat(c.model().imageSize()).as(name).isEqualTo(size);
      assertThat(g.blockSize()).as(name).isEqualTo((size / VQ_DOWNSAMPLE) * (size / VQ_DOWNSAMPLE));
      if (run.get("task").equals("c2i")) {
        assertThat(g.modelType()).as(name).isEqualTo(ModelType.CLASS_TO_IMAGE);
        assertThat(g.numClasses()).as(name).isEqualTo(1000);
        // LlamaGen's release names its c2i checkpoints c2i_<preset>_<size>.pt (llamagen.md)
        assertThat(c.model().weights().getFileName()).as(name).hasToString("c2i_" + run.get("preset") + "_" + size + ".pt");
      } else {
        assertThat(g.modelType()).as(name).isEqualTo(ModelType.TEXT_TO_IMAGE);
        assertThat(c.model().weights().getFileName()).as(name).hasToString("t2i_XL_stage1_256.pt");
      }
      for (double p : new double[] {g.tokenDropoutP(), g.attnDropoutP(), g.residDropoutP(), g.ffnDropoutP()}) {
        assertThat(p).as(name + " dropout").isEqualTo(Double.parseDouble(SETTINGS.get("dropout")));
      }
    }
  }

  @Test
  void paperConfigsUseThePaperSettings() {
    for (Map<String, String> run : RUNS.rows()) {
      String name = run.get("config");
      TrainerConfig t = RunConfig.load(name, List.of(), true).trainer();
      SamplingConfig s = t.sampling();
      GrpoConfig g = t.grpo();
      assertThat(t.groupSize()).as(name).isEqualTo(Integer.parseInt(SETTINGS.get("group_size")));
      assertThat(t.conditionsPerStep() * t.groupSize()).as(name + " total batch")
          .isEqualTo(Integer.parseInt(SETTINGS.get("total_batch")));
      assertThat(s.temperature()).as(name).isEqualTo(number("temperature"));
      assertThat(s.topK()).as(name).isEqualTo(Integer.parseInt(SETTINGS.get("top_k")));
      assertThat(s.topP()).as(name).isEqualTo(number("top_p"));
      assertThat(s.cfgScale()).as(name).isEqualTo(number("cfg_scale"));
      assertThat(g.learningRate()).as(name).isEqualTo(number("learning_rate"));
      assertThat(g.adamBeta1()).as(name).isEqualTo(number("adam_beta1"));
      assertThat(g.adamBeta2()).as(name).isEqualTo(number("adam_beta2"));
      assertThat(g.weightDecay()).as(name).isEqualTo(number("weight_decay"));
      assertThat(g.epsilonLow()).as(name).isEqualTo(number("epsilon"));
      assertThat(g.epsilonHigh()).as(name).isEqualTo(number("epsilon"));
      assertThat(g.beta()).as(name + " KL beta").isEqualTo(Double.parseDouble(run.get("beta")));
    }
  }

  @Test
  void rewardStacksHoldExactlyTheGroupsOfTheirLambdas() {
    for (Map<String, String> run : RUNS.rows()) {
      String name = run.get("config");
      List<Map<String, String>> ablation = ABLATIONS.where("config", name);
      List<String> expected = new ArrayList<>();
      for (String group : List.of("C", "I", "R")) {
        // eq. 10: every lambda is 1 unless an ablation table sets it; the tables agree for a run in several
        double lambda = ablation.stream().mapToDouble(r -> Double.parseDouble(r.get("lambda_" + group))).distinct()
            .reduce((a, b) -> {
              throw new IllegalStateException(name + ": the ablation tables disagree on lambda_" + group);
            }).orElse(1.0);
        assertThat(lambda).as(name + " lambda_" + group).isIn(0.0, 1.0);
        if (lambda == 1.0) {
          GROUPS.where("group", group).forEach(r -> expected.add(r.get("reward")));
        }
      }
      List<RewardSpec> specs = specs(name);
      assertThat(specs.stream().map(RewardSpec::metricName).toList()).as(name).containsExactlyInAnyOrderElementsOf(expected);
      for (RewardSpec s : specs) {
        assertThat(s.weight()).as(name + " " + s.metricName() + " weight").isEqualTo(1.0);
        double scale = Double.parseDouble(GROUPS.row("reward", s.metricName()).orElseThrow().get("scale"));
        assertThat(s.scale()).as(name + " " + s.metricName() + " scale").isCloseTo(scale, within(1e-12));
      }
    }
  }

  @Test
  void everyAblationRunOfThePaperIsAConfig() {
    for (Map<String, String> a : ABLATIONS.rows()) {
      assertThat(RUNS.row("config", a.get("config"))).as("table " + a.get("table") + " run " + a.get("run")).isPresent();
      assertThat(a.get("config")).as("table " + a.get("table") + " run " + a.get("run")).endsWith("_ablation_" + a.get("run"));
    }
  }

  @Test
  void theEvaluatedCheckpointIsSavedAndKept() {
    for (Map<String, String> run : RUNS.rows()) {
      String name = run.get("config");
      TrainerConfig t = RunConfig.load(name, List.of(), true).trainer();
      int evalStep = Integer.parseInt(run.get("eval_step"));
      assertThat(keptCheckpoints(t.steps(), t.checkpointEvery(), t.keepCheckpoints())).as(name + " keeps step " + evalStep)
          .contains(evalStep);
      assertThat(headerComment(name)).as(name).contains(String.format("checkpoints/step-%06d", evalStep));
    }
  }

  @Test
  void judgeEntriesSendTheTrainingPromptsAndDecoding() {
    assertThat(Fixtures.data("vlm_judge_prompts.json")).as("the prompts file the configs name, under shared/data").isRegularFile();
    for (Map<String, String> run : RUNS.rows()) {
      String name = run.get("config");
      for (RewardSpec s : specs(name)) {
        if (s.name().startsWith("vlm_judge_")) {
          assertThat(s.options()).as(name + " " + s.name()).containsEntry("prompts", "data/vlm_judge_prompts.json")
              .containsEntry("decoding", "training");
        }
        for (Object v : s.options().values()) {
          if (v instanceof String p && p.startsWith("data/")) {
            assertThat(Fixtures.data(p.substring("data/".length()))).as(name + " " + s.name() + " names " + p).isRegularFile();
          }
        }
      }
    }
  }

  @Test
  void rewardModelsRunOnTheModelsDevice() {
    for (Map<String, String> run : RUNS.rows()) {
      String name = run.get("config");
      RunConfig c = RunConfig.load(name, List.of(), true);
      for (RewardSpec s : c.rewards()) {
        if (!s.name().startsWith("vlm_judge_")) {
          assertThat(s.options()).as(name + " " + s.metricName()).containsEntry("device", c.model().device().spec());
        }
      }
    }
  }

  @Test
  void tableTwo384RowsSayTheyAreEvaluatedAt256() {
    for (Map<String, String> run : RUNS.rows()) {
      if (List.of(run.get("tables").split(",")).contains("2") && run.get("image_size").equals("384")) {
        assertThat(headerComment(run.get("config"))).as(run.get("config")).contains("--resize 256");
      }
    }
  }

  @Test
  void textToImageConfigReadsT5Features() {
    RunConfig t = RunConfig.load("t2i_XL_256", List.of(), true);
    assertThat(t.model().gpt().clsTokenNum()).isEqualTo(120);   // LlamaGen's t5_feature_max_len (llamagen.md)
    assertThat(t.model().gpt().captionDim()).isEqualTo(2048);   // FLAN-T5-XL's d_model (section 4.2)
    assertThat(t.model().precision()).isEqualTo(Precision.BF16);
    assertThat(t.conditions().isText()).isTrue();
    assertThat(t.conditions().features()).isNotNull();
    assertThat(t.conditions().t5()).isNull();

    // the native encoder instead of the store, as the config's comment says
    RunConfig n = RunConfig.load("t2i_XL_256", List.of("conditions.features=null", "conditions.t5=models/flan-t5-xl"), true);
    assertThat(n.conditions().features()).isNull();
    assertThat(n.conditions().t5()).hasToString("models/flan-t5-xl");
    assertThat(n.conditions().t5Precision()).isEqualTo(Precision.BF16);
  }

  @Test
  void dryRunPrintsTheResolvedConfig() {
    Cli.Result r = Cli.run("train", "-c", "c2i_B_384", "--out", "unused", "--dry-run", "--set", "trainer.steps=7");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("steps: 7").contains("config OK").contains("384px");
  }

  /**
   * The checkpoints left after a run, by the schedule TrainerConfig documents: one at every multiple of
   * {@code every} and one at the last step, then all but the newest {@code keep} deleted.
   */
  static List<Integer> keptCheckpoints(int steps, int every, int keep) {
    List<Integer> saved = new ArrayList<>();
    for (int s = 1; s <= steps; s++) {
      if ((every > 0 && s % every == 0) || s == steps) {
        saved.add(s);
      }
    }
    return saved.subList(Math.max(0, saved.size() - keep), saved.size());
  }

  private static double number(String setting) {
    return Double.parseDouble(SETTINGS.get(setting));
  }

  private static List<RewardSpec> specs(String config) {
    return RunConfig.load(config, List.of(), true).rewards();
  }

  /** The config's leading comment lines. */
  private static String headerComment(String config) {
    try (InputStream in = RunConfig.class.getResourceAsStream("/configs/" + config + ".yaml")) {
      StringBuilder b = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#")) {
          break;
        }
        b.append(line).append('\n');
      }
      return b.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
