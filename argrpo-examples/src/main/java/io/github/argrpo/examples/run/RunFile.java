package io.github.argrpo.examples.run;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.github.argrpo.core.train.TrainerConfig;
import io.github.argrpo.rewards.stack.RewardSpec;

/**
 * A run config file as written: its sections, bound by {@code ConfigBinding} over {@link #defaults()}
 * ({@link RunConfig#load} checks how they fit together). The declarations here and in the section
 * records are the one description of the file; {@code docs/configuration.md} is generated from them.
 *
 * @param model the GPT
 * @param vq the tokenizer
 * @param conditions classes or prompts
 * @param rewards the reward stack, null when not given
 * @param trainer the trainer settings, over the paper's ({@link TrainerConfig#arGrpoPaper()})
 * @param eval the held-out evaluation
 */
public record RunFile(
    @JsonProperty("model") ModelSection model,
    @JsonProperty("vq") VqSection vq,
    @JsonProperty("conditions") ConditionsSection conditions,
    @JsonProperty("rewards") @JsonPropertyDescription("the reward stack: a list of entries (docs/rewards.md; the keys "
        + "of an entry below)")
    List<RewardSpec> rewards,
    @JsonProperty("trainer") TrainerConfig trainer,
    @JsonProperty("eval") EvalSection eval) {

  /** Every default: the paper's trainer settings, VQ-16, c2i at 256 px in fp32 on the CPU, no evaluation. */
  public static RunFile defaults() {
    return new RunFile(ModelSection.defaults(), VqSection.defaults(), ConditionsSection.defaults(), null,
        TrainerConfig.arGrpoPaper(), EvalSection.defaults());
  }
}
