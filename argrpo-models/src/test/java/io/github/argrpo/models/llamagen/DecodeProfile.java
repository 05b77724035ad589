package io.github.argrpo.models.llamagen;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.policy.LogitsProcessing;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;

/**
 * Where a decode step's time goes (docs/performance.md, "Sampling: where the time goes"): a whole
 * decode step of the GPT at a given batch and cache position, split into the blocks, the head and the
 * logits processing, then single-query attention over an fp32 against a bf16 cache, the GEMMs at the
 * decode shapes and the machine's read bandwidth, each timed best-of-N in one process, interleaved.
 *
 * <pre>
 * java -cp ... io.github.argrpo.models.llamagen.DecodeProfile [preset GPT-B] [rows 128] [position 128] [iters 5]
 * </pre>
 * A development tool in the test sources, not a test.
 */
public final class DecodeProfile {

  private DecodeProfile() {}

  interface Body {
    void run();
  }

  static double bestMs(int iters, Body b) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i <= iters; i++) {
      try (PointerScope s = new PointerScope()) {
        long t0 = System.nanoTime();
        b.run();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (i > 0) {
          best = Math.min(best, ms);
        }
      }
    }
    return best;
  }

  public static void main(String[] args) {
    String preset = args.length > 0 ? args[0] : "GPT-B";
    long rows = args.length > 1 ? Long.parseLong(args[1]) : 128;
    long pos = args.length > 2 ? Long.parseLong(args[2]) : 128;
    int iters = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    NativeRuntime.init();
    NativeRuntime.setThreads(Integer.getInteger("argrpo.threads", 2));
    GptConfig c = GptConfig.preset(preset).toBuilder().dropout(0.0).precision(Precision.BF16)
        .blockSize(Integer.getInteger("tokens", 256)).build();
    long n = rows / 2;
    try (NoGradGuard g = new NoGradGuard(); PointerScope outer = new PointerScope()) {
      LlamaGenGpt m = LlamaGenGpt.create(c, DeviceSpec.CPU);
      m.eval();
      List<KvCache> caches = m.newCaches(rows, c.clsTokenNum() + c.blockSize() - 1);
      Tensor idx = torch.randint(c.vocabSize(), new long[] {rows, 1}, new GeneratorOptional(),
          new TensorOptions(ScalarType.Long));
      RowGenerators gens = RowGenerators.forGroups(1, (int) n, 1, c.blockSize(), m.device());
      Tensor[] hidden = new Tensor[1];
      Tensor[] logits = new Tensor[1];
      Tensor emb = m.embedTokens(idx);
      System.out.printf(Locale.ROOT, "%s bf16, %d rows (CFG, %d conditions), position %d, %d threads%n", preset, rows, n,
          pos, Integer.getInteger("argrpo.threads", 2));
      double blocks = bestMs(iters, () -> m.forwardHidden(emb, pos, null, false, caches));
      hidden[0] = m.forwardHidden(emb, pos, null, false, caches);
      hidden[0].retainReference();
      double head = bestMs(iters, () -> m.head(hidden[0]));
      logits[0] = m.head(hidden[0]).reshape(rows, c.vocabSize());
      logits[0].retainReference();
      Tensor lg = logits[0];
      double guide = bestMs(iters, () -> LogitsProcessing.guide(lg.narrow(0, 0, n), lg.narrow(0, n, n), 2.0));
      Tensor z = LogitsProcessing.guide(lg.narrow(0, 0, n), lg.narrow(0, n, n), 2.0);
      z.retainReference();
      double entropy = bestMs(iters, () -> LogitsProcessing.entropy(z));
      double filter = bestMs(iters, () -> LogitsProcessing.filter(z, 1.0, 0, 1.0));
      double draw = bestMs(iters, () -> gens.draw(LogitsProcessing.probabilities(z), 3));
      Tensor tok = gens.draw(LogitsProcessing.probabilities(z), 3);
      tok.retainReference();
      double logp = bestMs(iters, () -> torch.log_softmax(z, -1).gather(1, tok));
      double total = blocks + head + guide + entropy + filter + draw + logp;
      System.out.printf(Locale.ROOT, "step parts, ms: blocks %.2f (%.3f per layer), head %.2f, guide %.2f, entropy %.2f,"
          + " filter %.2f, softmax+draw %.2f, log-prob %.2f; sum %.2f ms = %.0f tokens/s of %d samples%n", blocks,
          blocks / c.nLayer(), head, guide, entropy, filter, draw, logp, total, n * 1000.0 / total, n);

      layerParts(m, caches.get(0), emb, pos, iters);
      // single-query attention over pos+1 keys: fp32 cache (today) against a bf16 cache
      long h = c.nHead();
      long hd = c.headDim();
      long maxLen = c.clsTokenNum() + c.blockSize() - 1;
      Tensor q = torch.randn(rows, h, 1, hd).to(ScalarType.BFloat16);
      Tensor k32 = torch.randn(rows, h, maxLen, hd).to(ScalarType.BFloat16).to(ScalarType.Float);
      Tensor v32 = torch.randn(rows, h, maxLen, hd).to(ScalarType.BFloat16).to(ScalarType.Float);
      Tensor k16 = k32.to(ScalarType.BFloat16);
      Tensor v16 = v32.to(ScalarType.BFloat16);
      Tensor kf = k32.narrow(2, 0, pos + 1);
      Tensor vf = v32.narrow(2, 0, pos + 1);
      Tensor kb = k16.narrow(2, 0, pos + 1);
      Tensor vb = v16.narrow(2, 0, pos + 1);
      double a32 = 0;
      double a16 = 0;
      double aEx = 0;
      for (int round = 0; round < 3; round++) {
        double x = bestMs(iters, () -> torch.scaled_dot_product_attention(q.to(ScalarType.Float), kf, vf,
            new TensorOptional(), 0.0, false, new DoubleOptional(), false).to(ScalarType.BFloat16));
        double y = bestMs(iters, () -> torch.scaled_dot_product_attention(q, kb, vb, new TensorOptional(), 0.0, false,
            new DoubleOptional(), false));
        double w = bestMs(iters, () -> Attention.explicitAttention(q, kb, vb, null, false, 0.0));
        a32 = round == 0 ? x : Math.min(a32, x);
        a16 = round == 0 ? y : Math.min(a16, y);
        aEx = round == 0 ? w : Math.min(aEx, w);
      }
      double cacheBytes32 = 2.0 * rows * h * (pos + 1) * hd * 4;
      System.out.printf(Locale.ROOT, "attention per layer, ms: fp32 cache SDPA %.3f (%.1f GB/s of cache), bf16 cache SDPA"
          + " %.3f (%.1f GB/s), bf16 explicit %.3f%n", a32, cacheBytes32 / a32 / 1e6, a16, cacheBytes32 / 2 / a16 / 1e6, aEx);

      // the GEMMs of one decode step at M = rows, against a square one
      long d = c.dim();
      long f = c.ffnHidden();
      Tensor x = torch.randn(rows, d).to(ScalarType.BFloat16);
      Tensor xf = torch.randn(rows, f).to(ScalarType.BFloat16);
      long[][] shapes = {{d, 3 * d}, {d, d}, {d, f}, {f, d}, {d, c.vocabSize()}};
      StringBuilder sb = new StringBuilder("bf16 linear GFLOP/s at M=" + rows + ":");
      for (long[] s : shapes) {
        Tensor w = torch.randn(s[1], s[0]).mul(new Scalar(0.02)).to(ScalarType.BFloat16);
        Tensor in = s[0] == d ? x : xf;
        double ms = bestMs(iters * 2, () -> torch.linear(in, w));
        sb.append(String.format(Locale.ROOT, " [%dx%d]x[%dx%d] %.0f (%.3f ms);", rows, s[0], s[0], s[1],
            2.0 * rows * s[0] * s[1] / ms / 1e6, ms));
      }
      Tensor a = torch.randn(2048, 2048).to(ScalarType.BFloat16);
      double sq = bestMs(iters, () -> a.matmul(a));
      sb.append(String.format(Locale.ROOT, " square 2048: %.0f", 2.0 * 2048 * 2048 * 2048 / sq / 1e6));
      System.out.println(sb);
      Tensor big = torch.ones(64L * 1024 * 1024); // 256 MB fp32
      double rd = bestMs(iters, () -> big.sum());
      System.out.printf(Locale.ROOT, "read bandwidth (sum of 256 MB fp32): %.1f GB/s%n", 256.0 * 1024 * 1024 / rd / 1e6);
      m.close();
    }
  }

  /** One layer's ops timed one by one (layer 0's weights and cache), best of {@code iters} each. */
  static void layerParts(LlamaGenGpt m, KvCache cache, Tensor x, long pos, int iters) {
    GptConfig c = m.config();
    Map<String, Tensor> sd = m.stateDict();
    Tensor wqkv = sd.get("layers.0.attention.wqkv.weight");
    Tensor wo = sd.get("layers.0.attention.wo.weight");
    Tensor w1 = sd.get("layers.0.feed_forward.w1.weight");
    Tensor w3 = sd.get("layers.0.feed_forward.w3.weight");
    Tensor w2 = sd.get("layers.0.feed_forward.w2.weight");
    Tensor nw = sd.get("layers.0.attention_norm.weight");
    long[] nd = {c.dim()};
    long b = x.size(0);
    long s = x.size(1);
    long dim = c.dim();
    long nh = c.nHead();
    long hd = c.headDim();
    Rope2d rope = m.rope();
    Tensor[] t = new Tensor[12];
    String[] names = {"norm", "wqkv", "rope", "cache", "sdpa", "wo", "residual", "norm2", "w1+silu", "w3*", "w2", "residual2"};
    double[] best = new double[names.length];
    Arrays.fill(best, Double.MAX_VALUE);
    for (int it = 0; it <= iters; it++) {
      try (PointerScope sc = new PointerScope()) {
        long[] ts = new long[names.length + 1];
        ts[0] = System.nanoTime();
        Tensor hn = torch.rms_norm(x, nd, new TensorOptional(), new DoubleOptional(c.normEps())).mul(nw);
        ts[1] = System.nanoTime();
        Tensor qkv = torch.linear(hn, wqkv);
        ts[2] = System.nanoTime();
        Tensor qk = rope.rotate(qkv.narrow(-1, 0, 2L * dim).view(b, s, 2L * nh, hd), pos);
        Tensor q = qk.narrow(2, 0, nh).transpose(1, 2);
        Tensor k = qk.narrow(2, nh, nh).transpose(1, 2);
        Tensor v = qkv.narrow(-1, 2L * dim, dim).view(b, s, nh, hd).transpose(1, 2);
        ts[3] = System.nanoTime();
        Tensor[] kv = cache.update(pos, k, v);
        ts[4] = System.nanoTime();
        Tensor out = torch.scaled_dot_product_attention(q.to(ScalarType.Float), kv[0].to(ScalarType.Float),
            kv[1].to(ScalarType.Float), new TensorOptional(), 0.0, false, new DoubleOptional(), false).to(ScalarType.BFloat16);
        ts[5] = System.nanoTime();
        Tensor y = torch.linear(out.transpose(1, 2).reshape(b, s, dim), wo);
        ts[6] = System.nanoTime();
        Tensor h = x.add(y);
        ts[7] = System.nanoTime();
        Tensor hn2 = torch.rms_norm(h, nd, new TensorOptional(), new DoubleOptional(c.normEps())).mul(nw);
        ts[8] = System.nanoTime();
        Tensor gate = torch.silu(torch.linear(hn2, w1));
        ts[9] = System.nanoTime();
        Tensor prod = gate.mul(torch.linear(hn2, w3));
        ts[10] = System.nanoTime();
        Tensor o = torch.linear(prod, w2);
        ts[11] = System.nanoTime();
        h.add(o);
        ts[12] = System.nanoTime();
        if (it > 0) {
          for (int i = 0; i < names.length; i++) {
            best[i] = Math.min(best[i], (ts[i + 1] - ts[i]) / 1e6);
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder("layer ops, ms:");
    double sum = 0;
    for (int i = 0; i < names.length; i++) {
      sb.append(String.format(Locale.ROOT, " %s %.3f,", names[i], best[i]));
      sum += best[i];
    }
    System.out.println(sb.append(String.format(Locale.ROOT, " sum %.3f", sum)));
  }
}
