package io.github.argrpo.core.distributed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;

/** The toy GRPO problem shared by the distributed worker and the single-process reference. */
final class ToyGrpoSetup {

  static final int CLASSES = 4;
  static final int LENGTH = 8;
  static final int VOCAB = 6;
  static final int GROUP = 8;

  private ToyGrpoSetup() {}

  /**
   * Two passes per batch (mu = 2: the old-log-prob path), micro-batches of 4 (gradient accumulation),
   * KL to the reference, clipping on: the parts whose distributed equivalence is not trivial.
   * One optimizer step per pass, so each step covers the whole global batch on one process and the
   * union of the shards on two.
   */
  static GrpoConfig config() {
    return GrpoConfig.builder().learningRate(0.05).beta(0.01).iterations(2).microBatchSize(4).maxGradNorm(1.0).build();
  }

  /** The global conditions of a step: every class once (one group each). */
  static List<Condition> conditions() {
    List<Condition> out = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      out.add(Condition.ofClass(c));
    }
    return out;
  }

  static SamplingConfig sampling(int step) {
    return SamplingConfig.arGrpo().withSeed(1000 + step);
  }

  /** Reward: fraction of tokens equal to {@code label % VOCAB}, which the toy policy can learn. */
  static double[] rewards(Rollouts r) {
    long[][] t = r.tokensAsArray();
    List<Condition> c = r.sampleConditions();
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      int target = ((ClassCondition) c.get(i)).label() % VOCAB;
      for (long tok : t[i]) {
        out[i] += tok == target ? 1.0 / t[i].length : 0;
      }
    }
    return out;
  }

  /** All trainable parameters, flattened in order. */
  static float[] flatParameters(Policy p) {
    List<float[]> parts = new ArrayList<>();
    int n = 0;
    for (Tensor t : p.trainableParameters()) {
      Tensor c = t.detach().contiguous();
      float[] f = new float[(int) c.numel()];
      new FloatPointer(c.data_ptr_float()).get(f);
      parts.add(f);
      n += f.length;
    }
    float[] out = new float[n];
    int off = 0;
    for (float[] f : parts) {
      System.arraycopy(f, 0, out, off, f.length);
      off += f.length;
    }
    return out;
  }

  static void write(Path file, float[] values) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(os)) {
      out.writeInt(values.length);
      for (float v : values) {
        out.writeFloat(v);
      }
    }
  }

  static float[] read(Path file) throws IOException {
    try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(is)) {
      float[] out = new float[in.readInt()];
      for (int i = 0; i < out.length; i++) {
        out[i] = in.readFloat();
      }
      return out;
    }
  }
}
