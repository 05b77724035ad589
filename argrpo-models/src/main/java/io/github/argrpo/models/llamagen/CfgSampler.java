package io.github.argrpo.models.llamagen;

import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.policy.LogitsProcessing;
import io.github.argrpo.core.policy.SamplingConfig;

/**
 * LlamaGen's {@code generate()}: KV-cache decoding with classifier-free guidance, for all rows of a
 * batch in one pass.
 *
 * <p>Algorithm (reference {@code generate.py}): the batch is {@code [conditional rows; unconditional
 * rows]} (null class, or the learned unconditional caption with the prompt's own mask). A prefill pass
 * runs the condition positions {@code 0..cls-1} and the logits of the last one give image token 0; then
 * each step feeds the token just chosen to <em>both</em> halves at position {@code cls + t - 1}. Every
 * step: guided logits {@code uncond + (cond - uncond) * s} in fp32, divided by the temperature, top-k
 * (ties kept), top-p, softmax, one draw. The last token is never fed back.
 *
 * <p>Differences from the reference, none of which changes a number: the cache is sized
 * {@code cls + L - 1} and attention spans only the filled positions (the reference pads to a multiple
 * of 8 and masks the rest); once guidance stops for good ({@code cfg_interval}) the unconditional half
 * is no longer computed (the reference keeps running it but ignores it); draws use one generator per
 * row ({@link RowGenerators}, inverse-CDF draws) so a sample does not depend on the rest of the batch.
 *
 * <p>Memory: the caches and outputs are allocated once in the caller's scope; every step runs in its
 * own {@code PointerScope} and writes its token, log-prob and entropy in place.
 */
public final class CfgSampler {

  private CfgSampler() {}

  /**
   * Whether image token {@code t} (0-based) is sampled from guided logits, with the reference's
   * {@code cfg_interval} semantics: the prefill token always is; decode iteration {@code i} (token
   * {@code i + 1}) is while {@code i <= cfg_interval}; {@code -1} guides every token
   * ({@link SamplingConfig#guidedAt(int)}).
   */
  public static boolean guided(SamplingConfig config, int t) {
    return config.guidedAt(t);
  }

  /**
   * Generates {@code blockSize} tokens for each of the {@code N} rows of {@code cond}.
   *
   * @param model the network, in eval mode for reference behaviour
   * @param cond condition input for the N rows (see {@link LlamaGenGpt#embedCondition})
   * @param captionValid t2i {@code (N, 120)} validity mask, null for c2i
   * @param config guidance, temperature, top-k, top-p (its seed is used by the caller for
   *     {@code generators})
   * @param generators one per row for sampling, or {@code null} for greedy decoding (argmax of the
   *     filtered logits, the reference's {@code sample_logits=False})
   * @param keepLogits whether to return the guided logits of every step (memory {@code N * L * V} floats)
   * @return the result, in the caller's scope
   */
  public static Generation generate(LlamaGenGpt model, Tensor cond, Tensor captionValid, SamplingConfig config,
      RowGenerators generators, boolean keepLogits) {
    GptConfig c = model.config();
    boolean t2i = c.modelType() == ModelType.TEXT_TO_IMAGE;
    long n = cond.size(0);
    if (generators != null && generators.rows() != n) {
      throw new IllegalArgumentException("expected " + n + " row generators, got " + generators.rows());
    }
    int len = c.blockSize();
    int cls = c.clsTokenNum();
    long vocab = c.vocabSize();
    boolean cfg = config.cfgScale() > 1.0;
    Device device = model.device();
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor condAll = cfg ? torch.cat(new TensorVector(cond, model.unconditionalInput(n)), 0) : cond;
      long rowsAll = condAll.size(0);
      Tensor validAll = null;
      Tensor keyValid = null;
      if (t2i) {
        Tensor v = captionValid.narrow(1, 0, cls).to(device, ScalarType.Bool);
        validAll = cfg ? torch.cat(new TensorVector(v, v), 0) : v;
        keyValid = CausalMask.keyValidity(validAll, cls + len - 1);
      }
      List<KvCache> caches = model.newCaches(rowsAll, cls + len - 1);
      TensorOptions longs = new TensorOptions(ScalarType.Long).device(new DeviceOptional(device));
      TensorOptions floats = new TensorOptions(ScalarType.Float).device(new DeviceOptional(device));
      Tensor tokens = torch.zeros(new long[] {n, len}, longs);
      Tensor logProbs = torch.zeros(new long[] {n, len}, floats);
      Tensor entropy = torch.zeros(new long[] {n, len}, floats);
      Tensor guidedLogits = keepLogits ? torch.zeros(new long[] {n, len, vocab}, floats) : null;
      for (int t = 0; t < len; t++) {
        try (PointerScope step = new PointerScope()) {
          boolean guidedNow = guided(config, t);
          Tensor hidden;
          if (t == 0) {
            Tensor mask = t2i ? CausalMask.build(validAll, 0, cls, cls) : null;
            hidden = model.forwardHidden(model.embedCondition(condAll), 0, mask, true, caches).narrow(1, cls - 1, 1);
          } else {
            // both halves run while this token is guided; after the interval, guidance never resumes
            long rows = guidedNow ? rowsAll : n;
            Tensor prev = tokens.narrow(1, t - 1, 1);
            Tensor idx = rows > n ? torch.cat(new TensorVector(prev, prev), 0) : prev;
            long pos = cls + t - 1;
            Tensor mask = t2i ? keyValid.narrow(0, 0, rows).narrow(1, 0, pos + 1).view(rows, 1, 1, pos + 1) : null;
            hidden = model.forwardHidden(model.embedTokens(idx), pos, mask, false, caches);
          }
          Tensor logits = model.head(hidden).reshape(hidden.size(0), vocab);
          Tensor z = guidedNow
              ? LogitsProcessing.guide(logits.narrow(0, 0, n), logits.narrow(0, n, n), config.cfgScale())
              : logits.narrow(0, 0, n);
          if (guidedLogits != null) {
            guidedLogits.select(1, t).copy_(z);
          }
          entropy.select(1, t).copy_(LogitsProcessing.entropy(z));
          Tensor filtered = LogitsProcessing.filter(z, config.temperature(), config.topK(), config.topP());
          Tensor token;
          if (generators == null) {
            token = filtered.argmax(new LongOptional(-1), true);
          } else {
            token = generators.draw(LogitsProcessing.probabilities(filtered), t);
          }
          tokens.narrow(1, t, 1).copy_(token);
          logProbs.narrow(1, t, 1).copy_(torch.log_softmax(filtered, -1).gather(1, token));
        }
      }
      return new Generation(tokens, logProbs, entropy, guidedLogits);
    }
  }
}
