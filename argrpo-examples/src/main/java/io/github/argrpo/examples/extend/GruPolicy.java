package io.github.argrpo.examples.extend;

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
import org.bytedeco.pytorch.ScalarTypeOptional;
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
 * Tutorial 2, the model: another autoregressive image-token generator behind the {@link Policy}
 * interface, a class-conditional GRU. Token {@code t} is predicted from the hidden state after reading
 * {@code embed(token t-1) + embed(class)} (a start token stands in at {@code t = 0}); an extra "null"
 * class gives the unconditional branch for classifier-free guidance, which keeps its own hidden state.
 * Everything GRPO needs is here: seeded group sampling with CFG and the sampling filters (through
 * {@link LogitsProcessing}, so they behave as LlamaGen's), teacher-forced log-probs with gradient under
 * both {@link LogProbSource}s, a frozen copy, parameter copying. The GRU cell is PyTorch's
 * ({@code nn.GRUCell} equations, gates in r, z, n order):
 *
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)    z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn))  h' = (1 - z) * n + z * h
 * </pre>
 *
 * <p>Owns its parameters (native memory): close it. Not thread-safe.
 */
public final class GruPolicy implements Policy {

  private final int numClasses;
  private final int length;
  private final int vocab;
  private final int hidden;
  private final Net net;

  /** The parameters in a libtorch module, so optimizers and copies see them by name. */
  private static final class Net extends Module {
    final Map<String, Tensor> params = new LinkedHashMap<>();

    Net(int numClasses, int vocab, int embed, int hidden, long seed) {
      try (PointerScope s = new PointerScope()) {
        Generator g = torch.make_generator_cpu(seed);
        add("token_embedding", randn(g, 0.3, vocab + 1, embed));       // + start token
        add("class_embedding", randn(g, 0.3, numClasses + 1, embed));  // + null class
        add("gru_weight_ih", randn(g, 1 / Math.sqrt(embed), 3L * hidden, embed));
        add("gru_weight_hh", randn(g, 1 / Math.sqrt(hidden), 3L * hidden, hidden));
        add("gru_bias_ih", torch.zeros(new long[] {3L * hidden}, new TensorOptions(ScalarType.Float)));
        add("gru_bias_hh", torch.zeros(new long[] {3L * hidden}, new TensorOptions(ScalarType.Float)));
        add("head_weight", randn(g, 1 / Math.sqrt(hidden), vocab, hidden));
        add("head_bias", torch.zeros(new long[] {vocab}, new TensorOptions(ScalarType.Float)));
      }
    }

    private static Tensor randn(Generator g, double std, long... shape) {
      return torch.randn(shape, new GeneratorOptional(g), new TensorOptions(ScalarType.Float)).mul(new Scalar(std));
    }

    private void add(String name, Tensor t) {
      t.set_requires_grad(true);
      // keep our own handle, retained past the construction scope (the reference the registration
      // returns points into the module's dictionary, which later registrations may move)
      register_parameter(name, t);
      t.retainReference();
      params.put(name, t);
    }

    Tensor p(String name) {
      return params.get(name);
    }
  }

  /**
   * @param numClasses real classes (a null class is added for guidance)
   * @param length tokens per sequence
   * @param vocab token vocabulary (the tokenizer's codebook size)
   * @param hidden GRU hidden size (the embedding size too)
   * @param seed initialisation seed
   */
  public GruPolicy(int numClasses, int length, int vocab, int hidden, long seed) {
    checkArgument(numClasses >= 1 && length >= 1 && vocab >= 2 && hidden >= 1,
        "GruPolicy needs numClasses >= 1, length >= 1, vocab >= 2, hidden >= 1; got %s, %s, %s, %s", numClasses, length,
        vocab, hidden);
    NativeRuntime.init();
    this.numClasses = numClasses;
    this.length = length;
    this.vocab = vocab;
    this.hidden = hidden;
    this.net = new Net(numClasses, vocab, hidden, hidden, seed);
  }

  @Override
  public int sequenceLength() {
    return length;
  }

  @Override
  public int vocabularySize() {
    return vocab;
  }

  /** One GRU step: the new hidden state for inputs {@code x} (n, E) and state {@code h} (n, H). */
  private Tensor cell(Tensor x, Tensor h) {
    Tensor gi = torch.linear(x, net.p("gru_weight_ih"), net.p("gru_bias_ih"));
    Tensor gh = torch.linear(h, net.p("gru_weight_hh"), net.p("gru_bias_hh"));
    long hs = hidden;
    Tensor r = torch.sigmoid(gi.narrow(1, 0, hs).add(gh.narrow(1, 0, hs)));
    Tensor z = torch.sigmoid(gi.narrow(1, hs, hs).add(gh.narrow(1, hs, hs)));
    Tensor n = torch.tanh(gi.narrow(1, 2 * hs, hs).add(r.mul(gh.narrow(1, 2 * hs, hs))));
    // h' = (1 - z) * n + z * h = n + z * (h - n)
    return n.add(z.mul(h.sub(n)));
  }

  private Tensor input(Tensor cls, Tensor prev) {
    return net.p("token_embedding").index_select(0, prev).add(net.p("class_embedding").index_select(0, cls));
  }

  private Tensor logits(Tensor h) {
    return torch.linear(h, net.p("head_weight"), net.p("head_bias"));
  }

  private Tensor zerosState(long n) {
    return torch.zeros(new long[] {n, hidden}, new TensorOptions(ScalarType.Float));
  }

  private static Tensor full(long n, long value) {
    return torch.full(new long[] {n}, new Scalar(value), new TensorOptions(ScalarType.Long));
  }

  private long[] labels(List<? extends Condition> conditions) {
    long[] out = new long[conditions.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(conditions.get(i) instanceof ClassCondition cc) || cc.label() >= numClasses) {
        throw new IllegalArgumentException("GruPolicy takes classes 0.." + (numClasses - 1) + "; condition " + i + " is "
            + conditions.get(i).describe());
      }
      out[i] = cc.label();
    }
    return out;
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
      Tensor nullCls = full(n, numClasses);
      Tensor prev = full(n, vocab);
      Tensor h = zerosState(n);
      Tensor hu = zerosState(n);
      // one generator per group, seeded from (seed, group): a group's draw depends only on its own condition
      Generator[] gens = LogitsProcessing.groupGenerators(config.seed(), groups);
      Tensor[] toks = new Tensor[length];
      Tensor[] lps = new Tensor[length];
      Tensor[] ents = new Tensor[length];
      for (int t = 0; t < length; t++) {
        h = cell(input(cls, prev), h);
        Tensor lg = logits(h);
        if (config.cfgScale() > 1) {
          hu = cell(input(nullCls, prev), hu);   // the unconditional branch reads the same tokens
          if (config.guidedAt(t)) {
            lg = LogitsProcessing.guide(lg, logits(hu), config.cfgScale());
          }
        }
        ents[t] = LogitsProcessing.entropy(lg);
        Tensor filtered = LogitsProcessing.filter(lg, config.temperature(), config.topK(), config.topP());
        Tensor probs = LogitsProcessing.probabilities(filtered);
        Tensor next = LogitsProcessing.drawPerGroup(probs, gens, groupSize);
        lps[t] = torch.log_softmax(filtered, -1).gather(1, next.unsqueeze(1)).squeeze(1);
        toks[t] = next;
        prev = next;
      }
      return new Rollouts(conditions, groupSize, torch.stack(new TensorVector(toks), 1), torch.stack(new TensorVector(lps), 1),
          torch.stack(new TensorVector(ents), 1), config);
    }
  }

  @Override
  public Tensor tokenLogProbs(List<? extends Condition> conditions, Tensor tokens, LogProbSource source, SamplingConfig config) {
    long[] labels = labels(conditions);
    int n = labels.length;
    if (tokens.dim() != 2 || tokens.size(0) != n || tokens.size(1) != length) {
      throw new IllegalArgumentException("tokens must be (" + n + ", " + length + "), got " + Arrays.toString(tokens.sizes().vec().get()));
    }
    boolean guided = source == LogProbSource.GUIDED && config.cfgScale() > 1;
    Tensor cls = Tensor.create(labels, n);
    Tensor nullCls = full(n, numClasses);
    Tensor prev = full(n, vocab);
    Tensor h = zerosState(n);
    Tensor hu = zerosState(n);
    Tensor[] out = new Tensor[length];
    for (int t = 0; t < length; t++) {
      h = cell(input(cls, prev), h);
      Tensor lg = logits(h);
      if (guided) {
        try (NoGradGuard ng = new NoGradGuard()) {
          hu = cell(input(nullCls, prev), hu);
        }
        if (config.guidedAt(t)) {
          // the unconditional branch is detached, as LlamaGen's guided log-probs in argrpo
          lg = LogitsProcessing.guide(lg, logits(hu).detach(), config.cfgScale());
        }
      }
      Tensor tok = tokens.select(1, t);
      out[t] = torch.log_softmax(lg.div(new Scalar(config.temperature())), -1, new ScalarTypeOptional(ScalarType.Float))
          .gather(1, tok.unsqueeze(1)).squeeze(1);
      prev = tok;
    }
    return torch.stack(new TensorVector(out), 1);
  }

  @Override
  public List<Tensor> trainableParameters() {
    return new ArrayList<>(net.params.values());
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return new LinkedHashMap<>(net.params);
  }

  @Override
  public Policy frozenCopy() {
    GruPolicy copy = new GruPolicy(numClasses, length, vocab, hidden, 0);
    copy.loadParametersFrom(this);
    for (Tensor t : copy.trainableParameters()) {
      t.set_requires_grad(false);
    }
    copy.setTraining(false);
    return copy;
  }

  @Override
  public void setTraining(boolean training) {
    net.train(training);   // no dropout here; kept for the contract
  }

  @Override
  public void loadParametersFrom(Policy other) {
    Map<String, Tensor> src = other.namedParameters();
    checkArgument(src.keySet().equals(net.params.keySet()),
        "parameter names differ: %s vs %s", src.keySet(), net.params.keySet());
    try (NoGradGuard ng = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : net.params.entrySet()) {
        Tensor s = src.get(e.getKey());
        if (!Arrays.equals(s.sizes().vec().get(), e.getValue().sizes().vec().get())) {
          throw new IllegalArgumentException("shape of '" + e.getKey() + "' differs: " + Arrays.toString(s.sizes().vec().get())
              + " vs " + Arrays.toString(e.getValue().sizes().vec().get()));
        }
        e.getValue().copy_(s);
      }
    }
  }

  @Override
  public void close() {
    net.params.values().forEach(Tensor::releaseReference);
    net.close();
  }
}
