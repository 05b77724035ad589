package io.github.argrpo.examples.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.config.ConfigSchema;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.train.TrainerConfig;

/** docs/configuration.md is the declarations' own description: it drifts only by failing here. */
class ConfigurationDocTest {

  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void thePageMatchesTheDeclarations() throws Exception {
    String want = ConfigurationDoc.markdown();
    if (Boolean.getBoolean("argrpo.docs.write")) {
      Files.writeString(DOC, want, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/configuration.md is generated from the config records: rerun with -Dargrpo.docs.write=true")
        .isEqualTo(want);
  }

  @Test
  void everyOptionIsDescribed() {
    List<String> bare = new ArrayList<>();
    for (ConfigSchema.Option o : ConfigSchema.of(RunFile.class).options(RunFile.defaults())) {
      if (o.description().isBlank()) {
        bare.add(o.key());
      }
    }
    assertThat(bare).as("options without a @JsonPropertyDescription").isEmpty();
  }

  @Test
  void thePageShowsThePapersTrainerDefaultsUnderTheKeysTheBundledConfigsUse() {
    // the values of AR-GRPO section 4.1 as written in the bundled c2i_B_256.yaml, by hand
    String page = ConfigurationDoc.markdown();
    assertThat(page).contains("| `trainer.conditions_per_step` | integer | `8` |")
        .contains("| `trainer.grpo.beta` | number | `0.1` |")
        .contains("| `trainer.grpo.adam_beta2` | number | `0.95` |")
        .contains("| `trainer.grpo.weight_decay` | number | `0.05` |")
        .contains("| `trainer.grpo.scale_rewards` | group \\| batch \\| none | `group` |")
        .contains("| `trainer.grpo.delta` | number | `nan` |")
        .contains("| `trainer.sampling.cfg_scale` | number | `2.0` |")
        .contains("| `trainer.checkpoint.every` | integer | `100` |")
        .contains("| `rewards[].scale` | number |")
        .contains("| `eval.mode` | min \\| max | `min` |")
        .doesNotContain("trainer.sampling.seed").doesNotContain("advantages");
    assertThat(TrainerConfig.arGrpoPaper().sampling()).isEqualTo(SamplingConfig.arGrpo());
  }
}
