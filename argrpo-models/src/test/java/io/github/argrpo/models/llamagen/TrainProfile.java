package io.github.argrpo.models.llamagen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.grpo.AdamWFactory;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;

/**
 * Where a teacher-forced training step's time goes (docs/performance.md, "Training: where the time goes"):
 * the GPT's forward with gradient, its backward and one AdamW step, then one layer's attention forward +
 * backward three ways (the CPU path written out with fp32 scores, the same in the model dtype, and
 * libtorch's {@code scaled_dot_product_attention} with {@code is_causal}), the block's five linears forward +
 * backward at the training shape, and the head with its cross-entropy; each timed best-of-N in one
 * process, interleaved, beside the machine's square-matmul rate in the same dtype.
 *
 * <pre>
 * java -cp ... io.github.argrpo.models.llamagen.TrainProfile [preset GPT-B] [precision bf16] [batch 8] [iters 3]
 * </pre>
 * A development tool in the test sources, not a test.
 */
public final class TrainProfile {

  private TrainProfile() {}

  public static void main(String[] args) {
    String preset = args.length > 0 ? args[0] : "GPT-B";
    String p = args.length > 1 ? args[1] : "bf16";
    boolean mixed = p.equals("bf16-mixed"); // fp32 weights under bf16 autocast
    Precision precision = mixed ? Precision.BF16 : Precision.parse(p);
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int iters = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int threads = Integer.getInteger("argrpo.threads", 2);
    NativeRuntime.init();
    NativeRuntime.setThreads(threads);
    ScalarType dtype = precision.scalarType();
    GptConfig c = GptConfig.preset(preset).toBuilder().dropout(0.0).precision(mixed ? Precision.FP32 : precision)
        .bf16Autocast(mixed).build();
    int len = c.blockSize();
    long rows = (long) batch * len;
    System.out.printf(Locale.ROOT, "%s %s, %d x %d tokens, %d threads%n", preset, p, batch, len, threads);
    double n = 2048;
    Tensor a0 = torch.randn(2048, 2048).to(dtype);
    Tensor b0 = torch.randn(2048, 2048).to(dtype);
    double mm = DecodeProfile.bestMs(5, () -> a0.matmul(b0));
    System.out.printf(Locale.ROOT, "square matmul 2048: %.0f GFLOP/s%n", 2 * n * n * n / mm / 1e6);
    if (Boolean.parseBoolean(System.getProperty("step", "true"))) {
      wholeStep(c, batch, iters, rows, 2 * n * n * n / mm / 1e6);
    }
    layerPieces(c, batch, iters, dtype);
  }

  static void wholeStep(GptConfig c, int batch, int iters, long rows, double matmulGflops) {
    int len = c.blockSize();
    try (PointerScope outer = new PointerScope()) {
      LlamaGenGpt m = LlamaGenGpt.create(c, DeviceSpec.CPU);
      m.train(true);
      List<Tensor> params = new ArrayList<>(m.namedParameterMap().values());
      AdamW opt = AdamWFactory.create(params, 1e-4, 0.9, 0.95, 1e-8, 0.05);
      Tensor cond = torch.randint(c.numClasses(), new long[] {batch}, new GeneratorOptional(),
          new TensorOptions(ScalarType.Long));
      Tensor tokens = torch.randint(c.vocabSize(), new long[] {batch, len}, new GeneratorOptional(),
          new TensorOptions(ScalarType.Long));
      double[] fwd = {Double.MAX_VALUE};
      double[] bwd = {Double.MAX_VALUE};
      double[] adam = {Double.MAX_VALUE};
      for (int i = 0; i <= iters; i++) {
        try (PointerScope s = new PointerScope()) {
          opt.zero_grad(true);
          long t0 = System.nanoTime();
          Tensor loss = m.trainLoss(cond, null, tokens);
          long t1 = System.nanoTime();
          loss.backward();
          long t2 = System.nanoTime();
          opt.step();
          long t3 = System.nanoTime();
          if (i > 0) {
            fwd[0] = Math.min(fwd[0], (t1 - t0) / 1e6);
            bwd[0] = Math.min(bwd[0], (t2 - t1) / 1e6);
            adam[0] = Math.min(adam[0], (t3 - t2) / 1e6);
          }
        }
      }
      double total = fwd[0] + bwd[0] + adam[0];
      System.out.printf(Locale.ROOT, "step: forward %.0f ms, backward %.0f ms, AdamW %.0f ms = %.0f ms, %.1f tokens/s%n",
          fwd[0], bwd[0], adam[0], total, rows / total * 1e3);
      double flops = 6.0 * GptFlopsCount.linearParams(c) * rows + 6.0 * GptFlopsCount.attentionMacs(c, batch);
      System.out.printf(Locale.ROOT, "model FLOPs %.2f T: %.0f GFLOP/s, %.1f %% of the square matmul%n", flops / 1e12,
          flops / total / 1e6, 100 * flops / total / 1e6 / matmulGflops);
      opt.close();
      m.train(false);
      m.close();
    }
  }

  /** One layer's pieces, forward + backward, at the training shape. */
  static void layerPieces(GptConfig c, int batch, int iters, ScalarType dtype) {
    int len = c.blockSize();
    long d = c.dim();
    long h = c.nHead();
    long hd = c.headDim();
    long s = c.clsTokenNum() + len - 1;
    long bs = (long) batch * s;
    Tensor q = torch.randn(batch, h, s, hd).to(dtype).requires_grad_(true);
    Tensor k = torch.randn(batch, h, s, hd).to(dtype).requires_grad_(true);
    Tensor v = torch.randn(batch, h, s, hd).to(dtype).requires_grad_(true);
    Body explicit = () -> Attention.explicitAttention(q, k, v, null, true, 0).sum().backward();
    Body sdpa = () -> torch.scaled_dot_product_attention(q, k, v, new TensorOptional(), 0.0, true,
        new DoubleOptional(), false).sum().backward();
    Body sdpaFp32 = () -> torch.scaled_dot_product_attention(q.to(ScalarType.Float), k.to(ScalarType.Float),
        v.to(ScalarType.Float), new TensorOptional(), 0.0, true, new DoubleOptional(), false).to(dtype).sum()
        .backward();
    Tensor upper = torch.ones(new long[] {s, s}, new TensorOptions(ScalarType.Bool)).triu(1);
    Tensor bias = torch.zeros(s, s).masked_fill(upper, new Scalar(Double.NEGATIVE_INFINITY));
    Body foldedMask = () -> {
      Tensor qf = q.to(ScalarType.Float).mul(new Scalar(0.125)).contiguous();
      Tensor kf = k.to(ScalarType.Float).contiguous();
      Tensor sc = qf.matmul(kf.transpose(-1, -2)).masked_fill(upper, new Scalar(Double.NEGATIVE_INFINITY));
      torch.softmax(sc, -1).to(dtype).matmul(v).sum().backward();
    };
    Body foldedBias = () -> {
      Tensor qf = q.to(ScalarType.Float).mul(new Scalar(0.125)).contiguous().view(batch * h, s, hd);
      Tensor kf = k.to(ScalarType.Float).contiguous().view(batch * h, s, hd);
      Tensor sc = torch.baddbmm(bias, qf, kf.transpose(-1, -2)).view(batch, h, s, s);
      torch.softmax(sc, -1).to(dtype).matmul(v).sum().backward();
    };
    Body modelDtype = () -> {
      Tensor sc = q.mul(new Scalar(0.125)).matmul(k.transpose(-1, -2)).masked_fill(upper,
          new Scalar(Double.NEGATIVE_INFINITY));
      torch.softmax(sc, -1).matmul(v).sum().backward();
    };
    for (int round = 0; round < 2; round++) {
      System.out.printf(Locale.ROOT, "attention fwd+bwd: now %.1f ms, scale in q + masked_fill %.1f ms, scale in q + "
          + "baddbmm bias %.1f ms, all in the model dtype %.1f ms%n", DecodeProfile.bestMs(iters, explicit::run),
          DecodeProfile.bestMs(iters, foldedMask::run), DecodeProfile.bestMs(iters, foldedBias::run),
          DecodeProfile.bestMs(iters, modelDtype::run));
    }
    Tensor x = torch.randn(bs, d).to(dtype).requires_grad_(true);
    Tensor xh = torch.randn(bs, c.ffnHidden()).to(dtype).requires_grad_(true);
    Tensor wqkv = torch.randn(3 * d, d).to(dtype).requires_grad_(true);
    Tensor wo = torch.randn(d, d).to(dtype).requires_grad_(true);
    Tensor w1 = torch.randn(c.ffnHidden(), d).to(dtype).requires_grad_(true);
    Tensor w2 = torch.randn(d, c.ffnHidden()).to(dtype).requires_grad_(true);
    Body linears = () -> {
      torch.linear(x, wqkv).sum().backward();
      torch.linear(x, wo).sum().backward();
      torch.linear(x, w1).sum().backward();
      torch.linear(x, w1).sum().backward();
      torch.linear(xh, w2).sum().backward();
    };
    Tensor hx = torch.randn(bs, d).to(dtype).requires_grad_(true);
    // the GPT's init scale (std 0.02): unscaled weights give saturated softmaxes whose denormal gradients
    // run the fp32 kernels 30x slower, which no trained model sees
    Tensor wout = torch.randn(c.vocabSize(), d).mul(new Scalar(0.02)).to(dtype).requires_grad_(true);
    Tensor targets = torch.randint(c.vocabSize(), new long[] {bs}, new GeneratorOptional(),
        new TensorOptions(ScalarType.Long));
    Body head = () -> torch.cross_entropy(torch.linear(hx, wout).to(ScalarType.Float), targets).backward();
    TransformerBlock block = new TransformerBlock(c);
    block.to(dtype, false);
    Rope2d rope = new Rope2d(c.gridSize(), (int) hd, c.ropeBase(), c.clsTokenNum(), DeviceSpec.CPU.toDevice());
    RmsNorm norm = new RmsNorm(d, c.normEps());
    norm.to(dtype, false);
    Tensor x3 = torch.randn(batch, s, d).to(dtype).requires_grad_(true);
    Tensor qk = torch.randn(batch, s, 2 * h, hd).to(dtype).requires_grad_(true);
    Tensor g1 = torch.randn(batch, s, c.ffnHidden()).to(dtype).requires_grad_(true);
    Tensor g3 = torch.randn(batch, s, c.ffnHidden()).to(dtype).requires_grad_(true);
    Body wholeBlock = () -> block.forward(x3, rope, 0, null, true, null).sum().backward();
    Body norms = () -> norm.forward(x3).sum().backward();
    Body ropeQk = () -> rope.rotate(qk, 0).sum().backward();
    Body swiglu = () -> torch.silu(g1).mul(g3).sum().backward();
    Body residual = () -> x3.add(x3).sum().backward();
    for (int round = 0; round < 2; round++) {
      double tb = DecodeProfile.bestMs(iters, wholeBlock::run);
      double tn = DecodeProfile.bestMs(iters, norms::run);
      double tr = DecodeProfile.bestMs(iters, ropeQk::run);
      double tw = DecodeProfile.bestMs(iters, swiglu::run);
      double ta = DecodeProfile.bestMs(iters, residual::run);
      System.out.printf(Locale.ROOT, "block fwd+bwd %.1f ms; one RMSNorm %.1f ms, RoPE on q and k %.1f ms, silu * mul "
          + "%.1f ms, one residual add %.1f ms (each with a sum and its backward)%n", tb, tn, tr, tw, ta);
      double te = DecodeProfile.bestMs(iters, explicit::run);
      double ts = DecodeProfile.bestMs(iters, sdpa::run);
      double tsf = DecodeProfile.bestMs(iters, sdpaFp32::run);
      double tl = DecodeProfile.bestMs(iters, linears::run);
      double th = DecodeProfile.bestMs(iters, head::run);
      double linFlops = 6.0 * bs * (3 * d * d + d * d + 3 * d * c.ffnHidden());
      double headFlops = 6.0 * bs * d * c.vocabSize();
      System.out.printf(Locale.ROOT, "layer fwd+bwd: attention written out (fp32 scores) %.1f ms, SDPA causal %.1f ms, "
          + "SDPA causal in fp32 %.1f ms; five linears %.1f ms (%.0f GFLOP/s); head + cross-entropy %.1f ms "
          + "(%.0f GFLOP/s)%n", te, ts, tsf, tl, linFlops / tl / 1e6, th, headFlops / th / 1e6);
    }
  }

  interface Body {
    void run();
  }

  /** Parameter and attention counts of the GPT, for the FLOP rate (the same formulas as the benchmark's). */
  static final class GptFlopsCount {
    private GptFlopsCount() {}

    /** Weights that multiply every position: the blocks' linears and the head. */
    static double linearParams(GptConfig c) {
      double d = c.dim();
      return c.nLayer() * (4 * d * d + 3 * d * c.ffnHidden()) + d * c.vocabSize();
    }

    /** Multiply-adds of the causal attention products, q k^T and p v, over a batch (dense, not halved). */
    static double attentionMacs(GptConfig c, int batch) {
      double s = c.clsTokenNum() + c.blockSize() - 1;
      return c.nLayer() * batch * 2.0 * s * s * c.dim();
    }
  }
}
