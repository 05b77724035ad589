package io.github.argrpo.core.toy;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.LogitsProcessing;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * A tiny class-conditional autoregressive policy for tests, examples and the quickstart: the logits of
 * token {@code t} are {@code table[class, t] + bigram[previous token]} (a start row stands in for the
 * previous token at {@code t = 0}), with a null class for classifier-free guidance. It exercises the
 * whole {@link Policy} contract (guided sampling, top-k/top-p, seeded draws, teacher-forced log-probs
 * with gradient under both {@link LogProbSource}s, frozen copies) in microseconds.
 *
 * <pre>{@code
 * try (ToyPolicy p = new ToyPolicy(10, 16, 8, 42)) {
 *   Rollouts r = p.sample(List.of(Condition.ofClass(3)), 8, SamplingConfig.arGrpo());
 * }
 * }</pre>
 */
public final class ToyPolicy implements Policy {

  private final int numClasses;
  private final int length;
  private final int vocab;
  private final Net net;

  /** The parameters, as a libtorch module so they register for optimizers and copying. */
  private static final class Net extends Module {
    final Tensor table;
    final Tensor bigram;

    Net(int numClasses, int length, int vocab, long seed) {
      try (PointerScope s = new PointerScope()) {
        Generator g = torch.make_generator_cpu(seed);
        Tensor t = torch.randn(new long[] {numClasses + 1, length, vocab}, new GeneratorOptional(g),
            new TensorOptions(ScalarType.Float)).mul(new Scalar(0.1));
        Tensor b = torch.randn(new long[] {vocab + 1, vocab}, new GeneratorOptional(g),
            new TensorOptions(ScalarType.Float)).mul(new Scalar(0.1));
        // Keep our own handles (they share the TensorImpl with the registered parameters). The Tensor
        // that register_parameter returns points INTO the module's parameter dict, and registering the
        // next parameter may reallocate that dict: holding the returned reference crashes later.
        register_parameter("table", t);
        register_parameter("bigram", b);
        table = t;
        bigram = b;
        table.retainReference();
        bigram.retainReference();
      }
    }
  }

  /**
   * @param numClasses class count (a null class is added for guidance)
   * @param length tokens per sequence
   * @param vocab vocabulary size
   * @param seed initialisation seed
   */
  public ToyPolicy(int numClasses, int length, int vocab, long seed) {
    checkArgument(numClasses >= 1 && length >= 1 && vocab >= 2,
        "ToyPolicy needs numClasses >= 1, length >= 1, vocab >= 2; got %s, %s, %s", numClasses, length, vocab);
    NativeRuntime.init();
    this.numClasses = numClasses;
    this.length = length;
    this.vocab = vocab;
    this.net = new Net(numClasses, length, vocab, seed);
  }

  @Override
  public int sequenceLength() {
    return length;
  }

  @Override
  public int vocabularySize() {
    return vocab;
  }

  /** Number of real classes. */
  public int numClasses() {
    return numClasses;
  }

  private long[] labels(List<? extends Condition> conditions) {
    long[] out = new long[conditions.size()];
    for (int i = 0; i < out.length; i++) {
      Condition c = conditions.get(i);
      if (!(c instanceof ClassCondition cc)) {
        throw new IllegalArgumentException("ToyPolicy is class-conditional; condition " + i + " is " + c.describe());
      }
      checkArgument(cc.label() < numClasses, "class %s out of range [0, %s)", cc.label(), numClasses);
      out[i] = cc.label();
    }
    return out;
  }

  /** Logits of position t for rows with classes {@code cls} (n) and previous tokens {@code prev} (n). */
  private Tensor stepLogits(Tensor cls, long t, Tensor prev) {
    return net.table.index_select(0, cls).select(1, t).add(net.bigram.index_select(0, prev));
  }

  @Override
  public Rollouts sample(List<? extends Condition> conditions, int groupSize, SamplingConfig config) {
    checkArgument(groupSize >= 1, "groupSize must be >= 1, got %s", groupSize);
    long[] labels = labels(conditions);
    int groups = labels.length;
    int n = groups * groupSize;
    try (NoGradGuard ng = new NoGradGuard(); PointerScope scope = new PointerScope()) {
      long[] rowLabels = new long[n];
      for (int i = 0; i < n; i++) {
        rowLabels[i] = labels[i / groupSize];
      }
      Tensor cls = Tensor.create(rowLabels, n);
      Tensor nullCls = torch.full(new long[] {n}, new Scalar(numClasses), new TensorOptions(ScalarType.Long));
      Tensor prev = torch.full(new long[] {n}, new Scalar(vocab), new TensorOptions(ScalarType.Long));
      // One generator per group, seeded from (seed, group index): a group's samples depend only on its
      // condition, the seed and its position, not on what else is in the batch.
      Generator[] gens = LogitsProcessing.groupGenerators(config.seed(), groups);
      Tensor[] toks = new Tensor[length];
      Tensor[] lps = new Tensor[length];
      Tensor[] ents = new Tensor[length];
      for (int t = 0; t < length; t++) {
        Tensor logits = stepLogits(cls, t, prev);
        if (config.guidedAt(t)) {
          logits = LogitsProcessing.guide(logits, stepLogits(nullCls, t, prev), config.cfgScale());
        }
        ents[t] = LogitsProcessing.entropy(logits);
        Tensor filtered = LogitsProcessing.filter(logits, config.temperature(), config.topK(), config.topP());
        Tensor probs = LogitsProcessing.probabilities(filtered);
        Tensor next = LogitsProcessing.drawPerGroup(probs, gens, groupSize);
        lps[t] = torch.log_softmax(filtered, -1).gather(1, next.unsqueeze(1)).squeeze(1);
        toks[t] = next;
        prev = next;
      }
      return new Rollouts(conditions, groupSize, torch.stack(new TensorVector(toks), 1),
          torch.stack(new TensorVector(lps), 1), torch.stack(new TensorVector(ents), 1), config);
    }
  }

  @Override
  public Tensor tokenLogProbs(List<? extends Condition> conditions, Tensor tokens, LogProbSource source,
      SamplingConfig config) {
    long[] labels = labels(conditions);
    if (tokens.dim() != 2 || tokens.size(0) != labels.length || tokens.size(1) != length) {
      throw new IllegalArgumentException("tokens must be (" + labels.length + ", " + length + "), got "
          + Arrays.toString(tokens.sizes().vec().get()));
    }
    int n = labels.length;
    Tensor cls = Tensor.create(labels, n);
    Tensor prev = torch.cat(new TensorVector(
        torch.full(new long[] {n, 1}, new Scalar(vocab), new TensorOptions(ScalarType.Long)),
        tokens.narrow(1, 0, length - 1)), 1);
    Tensor logits = condLogits(cls, prev);
    if (source == LogProbSource.GUIDED && config.cfgScale() > 1) {
      Tensor nullCls = torch.full(new long[] {n}, new Scalar(numClasses), new TensorOptions(ScalarType.Long));
      Tensor uncond = condLogits(nullCls, prev).detach();
      Tensor guided = LogitsProcessing.guide(logits, uncond, config.cfgScale());
      if (config.cfgInterval() >= 0 && config.cfgInterval() + 2 < length) {
        long k = config.cfgInterval() + 2; // first unguided token (SamplingConfig.guidedAt)
        guided = torch.cat(new TensorVector(guided.narrow(1, 0, k), logits.narrow(1, k, length - k)), 1);
      }
      logits = guided;
    }
    Tensor lsm = torch.log_softmax(logits.div(new Scalar(config.temperature())), -1);
    return lsm.gather(2, tokens.unsqueeze(2)).squeeze(2);
  }

  private Tensor condLogits(Tensor cls, Tensor prev) {
    return net.table.index_select(0, cls).add(net.bigram.index_select(0, prev.flatten()).view(prev.size(0), prev.size(1), vocab));
  }

  @Override
  public List<Tensor> trainableParameters() {
    return List.of(net.table, net.bigram);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("table", net.table);
    out.put("bigram", net.bigram);
    return out;
  }

  @Override
  public Policy frozenCopy() {
    ToyPolicy copy = new ToyPolicy(numClasses, length, vocab, 0);
    copy.loadParametersFrom(this);
    for (Tensor t : copy.trainableParameters()) {
      t.set_requires_grad(false);
    }
    copy.setTraining(false);
    return copy;
  }

  @Override
  public void setTraining(boolean training) {
    net.train(training);
  }

  @Override
  public void loadParametersFrom(Policy other) {
    Map<String, Tensor> src = other.namedParameters();
    if (!src.keySet().equals(namedParameters().keySet())) {
      throw new IllegalArgumentException("parameter names differ: " + src.keySet() + " vs " + namedParameters().keySet());
    }
    try (NoGradGuard ng = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : namedParameters().entrySet()) {
        Tensor s = src.get(e.getKey());
        checkArgument(Arrays.equals(s.sizes().vec().get(), e.getValue().sizes().vec().get()),
            "shape of '%s' differs", e.getKey());
        e.getValue().copy_(s);
      }
    }
  }

  /** Parameter names as libtorch registers them (for checks against {@link #namedParameters()}). */
  List<String> registeredNames() {
    StringTensorDict d = net.named_parameters(true);
    List<String> names = new ArrayList<>();
    for (long i = 0; i < d.size(); i++) {
      names.add(d.get(i).key().getString());
    }
    return names;
  }

  @Override
  public void close() {
    net.table.releaseReference();
    net.bigram.releaseReference();
    net.close();
  }
}
