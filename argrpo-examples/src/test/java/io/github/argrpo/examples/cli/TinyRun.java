package io.github.argrpo.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.examples.run.RunConfig;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;
import io.github.argrpo.models.text.PrecomputedTextFeatures;
import io.github.argrpo.models.vq.VqLoader;
import io.github.argrpo.models.vq.VqModel;

/**
 * Tiny random LlamaGen + VQ weights and a run config pointing to them, written to a temporary folder:
 * 8 px images, VQ with 2x downsampling (a 4 x 4 token grid) and 64 codes, a 2-layer GPT of width 32;
 * t2i with LlamaGen's 120 caption tokens of 8 features and prompt files. Everything a subcommand needs runs in
 * well under a second.
 */
final class TinyRun {

  static final List<String> PROMPTS = List.of("a red cube", "two blue spheres", "a green cone on a table");

  private TinyRun() {}

  /** Writes the weights (and for t2i, prompts and features) and returns the config file. */
  static Path write(Path dir, boolean t2i) throws IOException {
    Path gpt = dir.resolve(t2i ? "t2i_tiny.safetensors" : "c2i_tiny.safetensors");
    Path vq = dir.resolve("vq_tiny.safetensors");
    String model = t2i
        ? "  gpt: {preset: B, type: t2i, image_size: 8, dim: 32, n_layer: 2, n_head: 2, cls_token_num: 120, caption_dim: 8}\n"
        : "  gpt: {preset: B, type: c2i, image_size: 8, dim: 32, n_layer: 2, n_head: 2, num_classes: 10}\n";
    String conditions = t2i
        ? "conditions: {prompts: '" + dir.resolve("prompts.txt") + "', features: '" + dir.resolve("prompts.t5.safetensors") + "'}\n"
        : "conditions: {classes: 10}\n";
    String yaml = "model:\n" + model + "  weights: '" + gpt + "'\n  precision: fp32\n  device: cpu\n"
        + "vq: {preset: VQ-16, weights: '" + vq + "', channels: 16, channel_multipliers: [1, 1], z_channels: 8,"
        + " num_res_blocks: 1, codebook_size: 64, codebook_embed_dim: 4, norm_groups: 8}\n"
        + conditions
        + "rewards:\n  - {name: colorfulness}\n  - {name: sharpness, weight: 0.5, options: {tau: 0.01}}\n"
        + "trainer:\n  steps: 2\n  conditions_per_step: 2\n  group_size: 2\n  seed: 3\n"
        + "  grpo: {learning_rate: 1.0e-3}\n  checkpoint: {every: 1, keep: 2}\n"
        + "  samples: {every: 0, conditions: 2, per_condition: 2}\n";
    Path config = dir.resolve(t2i ? "t2i_tiny.yaml" : "c2i_tiny.yaml");
    Files.writeString(config, yaml, StandardCharsets.UTF_8);
    if (t2i) {
      Files.write(dir.resolve("prompts.txt"), PROMPTS, StandardCharsets.UTF_8);
      Random r = new Random(5);
      List<TextFeatures> feats = new ArrayList<>();
      for (int i = 0; i < PROMPTS.size(); i++) {
        int valid = 1 + i;
        float[] v = new float[120 * 8];
        boolean[] m = new boolean[120];
        for (int k = 120 - valid; k < 120; k++) {
          m[k] = true;
          for (int d = 0; d < 8; d++) {
            v[k * 8 + d] = (float) r.nextGaussian();
          }
        }
        feats.add(new TextFeatures(v, 120, 8, m));
      }
      PrecomputedTextFeatures.write(dir.resolve("prompts.t5.safetensors"), PROMPTS, feats, false);
    }
    RunConfig c = RunConfig.load(config.toString(), List.of(), true);
    try (LlamaGenPolicy p = LlamaGenPolicy.create(c.model().gpt(), DeviceSpec.CPU)) {
      p.saveSafetensors(gpt);
    }
    if (!Files.exists(vq)) {
      try (VqModel m = VqModel.create(c.vq().config(), Precision.FP32, DeviceSpec.CPU)) {
        VqLoader.save(m, vq);
      }
    }
    return config;
  }
}
