package io.github.argrpo.examples.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.rewards.clip.ClipPreprocess;
import io.github.argrpo.rewards.stack.RewardSpec;
import io.github.argrpo.rewards.stack.RewardStack;

/**
 * The reward phase of {@link StepBenchmark}: one timed entry per distinct reward model of the stack.
 * CLIP (ViT-B/32 or ViT-L/14) and HPSv2 (ViT-H/14) are built at full size with random weights and run
 * as the rewards run them (preprocessing, image tower over every image, text tower over the
 * conditions); any other reward is built by its provider from the config and timed when its files or
 * server are there, else listed as skipped. Quantized duplicates share the continuous model in a real
 * stack, so they are counted once.
 */
final class BenchRewards implements AutoCloseable {

  private record Tower(String name, ClipModel model, ClipPreprocess preprocess, int batch) {}

  private final List<Tower> towers = new ArrayList<>();
  private final Map<String, RewardFunction> others = new LinkedHashMap<>();

  private BenchRewards() {}

  static BenchRewards build(List<RewardSpec> specs, Precision precision, DeviceSpec device, PrintWriter out) {
    BenchRewards b = new BenchRewards();
    Set<String> seen = new HashSet<>();
    for (RewardSpec s : specs) {
      String key = s.name() + " " + s.options();
      if (!seen.add(key)) {
        continue;   // the quantized copy shares the model of the continuous one
      }
      switch (s.name()) {
        case "clip" -> {
          boolean large = "vit-l-14".equals(String.valueOf(s.options().getOrDefault("model", "vit-b-32")));
          ClipConfig c = large ? ClipConfig.vitL14() : ClipConfig.vitB32();
          b.towers.add(new Tower(large ? "clip (ViT-L/14)" : "clip (ViT-B/32)", onDevice(ClipModel.create(c, precision), device),
              ClipPreprocess.openAi(c.imageSize()), batchSize(s, 16)));
        }
        case "hpsv2" -> b.towers.add(new Tower("hpsv2 (ViT-H/14)", onDevice(ClipModel.create(ClipConfig.vitH14(), precision), device),
            ClipPreprocess.openClip(ClipConfig.vitH14().imageSize()), batchSize(s, 8)));
        default -> {
          try {
            b.others.put(s.name(), RewardStack.fromSpecs(List.of(s)));
          } catch (RuntimeException e) {
            out.println("  (reward " + s.name() + " skipped: " + e.getMessage() + ")");
          }
        }
      }
    }
    return b;
  }

  /** The reward's {@code batch_size} option, with the provider's default. */
  private static int batchSize(RewardSpec s, int dflt) {
    Object v = s.options().get("batch_size");
    return v == null ? dflt : Integer.parseInt(String.valueOf(v).trim());
  }

  private static ClipModel onDevice(ClipModel m, DeviceSpec device) {
    return device.isCuda() ? m.toDevice(device.toDevice()) : m;
  }

  /** Times each reward into {@code clock}, one phase {@code reward <name>} each. */
  void time(ImageBatch images, List<? extends Condition> conditions, PhaseClock clock) {
    int n = images.count();
    for (Tower t : towers) {
      clock.start("reward " + t.name());
      try (PointerScope scope = new PointerScope()) {
        // the text tower over one caption per distinct condition (the rewards cache nothing between steps)
        long prompts = conditions.stream().distinct().count();
        Tensor ids = torch.randint(t.model().config().vocabSize() - 2, new long[] {prompts, t.model().config().contextLength()},
            new GeneratorOptional(), new TensorOptions(ScalarType.Long));
        Tensor txt = t.model().encodeText(ids);
        // the image tower in the rewards' batches (their batch_size option), each in its own scope: a whole
        // ViT forward keeps its temporaries until its scope closes
        for (int i = 0; i < n; i += t.batch()) {
          try (PointerScope inner = new PointerScope(); ImageBatch part = images.slice(i, Math.min(n, i + t.batch()))) {
            t.model().encodeImage(t.preprocess().apply(part)).matmul(txt.t()).cpu();
          }
        }
      }
      clock.stop();
    }
    for (Map.Entry<String, RewardFunction> e : others.entrySet()) {
      clock.start("reward " + e.getKey());
      e.getValue().score(images, conditions);
      clock.stop();
    }
  }

  /** Image-tower FLOPs for {@code n} images of the phase named {@code reward <name>}, 0 when not counted. */
  double flops(String phase, int n) {
    for (Tower t : towers) {
      if (phase.equals("reward " + t.name())) {
        return n * visionFlops(t.model().config());
      }
    }
    return 0;
  }

  /**
   * ViT image tower FLOPs per image: per layer {@code 2 x T x (4 + 2 mlpRatio) w^2} for the projections
   * and MLP plus {@code 4 T^2 w} for attention, with {@code T = (S/p)^2 + 1} tokens; plus the patch
   * embedding {@code 2 x 3 p^2 w (T - 1)}.
   */
  static double visionFlops(ClipConfig c) {
    double tokens = Math.pow((double) c.imageSize() / c.patchSize(), 2) + 1;
    double w = c.visionWidth();
    double perLayer = 2 * tokens * (4 + 2 * c.mlpRatio()) * w * w + 4 * tokens * tokens * w;
    return c.visionLayers() * perLayer + 2.0 * 3 * c.patchSize() * c.patchSize() * w * (tokens - 1);
  }

  @Override
  public void close() {
    towers.forEach(t -> t.model().close());
    others.values().forEach(RewardFunction::close);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d towers, %d other rewards", towers.size(), others.size());
  }
}
