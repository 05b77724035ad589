package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.conv2d;
import static org.bytedeco.pytorch.global.torch.group_norm;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.randn;
import static org.bytedeco.pytorch.global.torch.sigmoid;
import static org.bytedeco.pytorch.global.torch.softmax;
import static org.bytedeco.pytorch.global.torch.upsample_nearest2d;
import static org.bytedeco.pytorch.global.torch.zeros;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Scopes;

/**
 * Where the VQ-16 decode time goes: replays the decoder's op sequence (same shapes, channels-last, random
 * weights) with a clock around every op and sums the time per op kind; also measures the 3x3-convolution
 * peak at the decoder's shapes. Not a test: run by hand (args: batch, rounds, dtypes) for
 * {@code docs/performance.md}, section "VQ decoder".
 */
public final class VqDecodeProfile {

  /** {@code -Dprofile.nativeBf16Peak=true}: the bf16 peak of libtorch's own bf16 convolution. */
  static final boolean NATIVE_BF16_PEAK = Boolean.getBoolean("profile.nativeBf16Peak");

  private final ScalarType dtype;
  private final Map<String, double[]> acc = new LinkedHashMap<>(); // kind -> {seconds, flop}

  private VqDecodeProfile(ScalarType dtype) {
    this.dtype = dtype;
  }

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    String dtypes = args.length > 2 ? args[2] : "bf16,fp32";
    NativeRuntime.init();
    System.out.printf("threads=%d batch=%d%n", NativeRuntime.threads(), batch);
    try (NoGradGuard g = new NoGradGuard()) {
      for (String d : dtypes.split(",")) {
        ScalarType t = d.equals("bf16") ? ScalarType.BFloat16 : ScalarType.Float;
        convPeaks(t);
        VqDecodeProfile best = null;
        double bestTotal = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
          VqDecodeProfile p = new VqDecodeProfile(t);
          double c0 = VqDecodeBenchmark.cpuSeconds();
          long t0 = System.nanoTime();
          p.decoder(batch);
          double s = (System.nanoTime() - t0) / 1e9;
          double cpu = VqDecodeBenchmark.cpuSeconds() - c0;
          System.out.printf(Locale.ROOT, "%s round %d: %.2f s wall, %.2f s CPU%n", d, r, s, cpu);
          if (s < bestTotal) {
            bestTotal = s;
            best = p;
          }
        }
        if (best != null) {
          best.report(d, bestTotal, batch);
        }
      }
    }
  }

  /** GFLOP/s of a channels-last 3x3 convolution at the decoder's big shapes. */
  static void convPeaks(ScalarType t) {
    long[][] shapes = {{128, 256, 2}, {256, 128, 4}, {256, 64, 8}, {512, 32, 8}};
    for (long[] sh : shapes) {
      try (PointerScope s = new PointerScope()) {
        long c = sh[0];
        long hw = sh[1];
        long b = sh[2];
        ScalarType run = t == ScalarType.BFloat16 && Bf16Compute.IN_FP32 && !NATIVE_BF16_PEAK ? ScalarType.Float : t;
        Tensor x = randn(b, c, hw, hw).to(run).contiguous(MemoryFormat.ChannelsLast);
        Tensor w = randn(c, c, 3, 3).mul_(new org.bytedeco.pytorch.Scalar(0.02)).to(run);
        Tensor bias = zeros(c).to(run);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
          try (PointerScope inner = new PointerScope()) {
            long t0 = System.nanoTime();
            conv2d(x, w, new TensorOptional(bias), new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 1);
            double sec = (System.nanoTime() - t0) / 1e9;
            if (i > 0) {
              best = Math.min(best, sec);
            }
          }
        }
        System.out.printf(Locale.ROOT, "conv3x3 peak %s C=%d %dx%d B=%d channels-last (runs %s): %.0f GFLOP/s%n",
            t, c, hw, hw, b, run, 2.0 * b * c * c * 9 * hw * hw / best / 1e9);
      }
    }
  }

  private Tensor timed(String kind, double flop, java.util.function.Supplier<Tensor> op) {
    long t0 = System.nanoTime();
    Tensor r = op.get();
    double s = (System.nanoTime() - t0) / 1e9;
    double[] a = acc.computeIfAbsent(kind, k -> new double[2]);
    a[0] += s;
    a[1] += flop;
    return r;
  }

  private Tensor conv(Tensor x, long out, long k) {
    long[] s = x.sizes().vec().get();
    Tensor w = randn(out, s[1], k, k).mul_(new org.bytedeco.pytorch.Scalar(0.02)).to(dtype);
    Tensor b = zeros(out).to(dtype);
    long p = k / 2;
    double flop = 2.0 * s[0] * out * s[1] * k * k * s[2] * s[3];
    if (dtype == ScalarType.BFloat16 && Bf16Compute.IN_FP32) {
      // what VqConv2d does on CPUs without oneDNN bf16: casts timed apart from the fp32 convolution
      Tensor xf = timed("conv casts", 0, () -> x.to(ScalarType.Float));
      Tensor wf = w.to(ScalarType.Float);
      Tensor bf = b.to(ScalarType.Float);
      Tensor y = timed(k == 3 ? "conv3x3" : "conv1x1", flop,
          () -> conv2d(xf, wf, new TensorOptional(bf), new long[] {1, 1}, new long[] {p, p}, new long[] {1, 1}, 1));
      return timed("conv casts", 0, () -> y.to(ScalarType.BFloat16));
    }
    return timed(k == 3 ? "conv3x3" : "conv1x1", flop,
        () -> conv2d(x, w, new TensorOptional(b), new long[] {1, 1}, new long[] {p, p}, new long[] {1, 1}, 1));
  }

  private Tensor normSwish(Tensor x, boolean swish) {
    long c = x.size(1);
    Tensor w = ones(c).to(dtype);
    Tensor b = zeros(c).to(dtype);
    Tensor n = timed("groupnorm", 0, () -> group_norm(x, 32, new TensorOptional(w), new TensorOptional(b), 1e-6, true));
    if (!swish) {
      return n;
    }
    return timed("swish", 0, () -> Swish.applyInPlace(n));
  }

  private Tensor res(Tensor x, long out) {
    PointerScope outer = Scopes.outer();
    try (PointerScope s = new PointerScope()) {
      Tensor h = conv(normSwish(x, true), out, 3);
      h = conv(normSwish(h, true), out, 3);
      Tensor sc = x.size(1) != out ? conv(x, out, 1) : x;
      Tensor hh = h;
      Tensor r = timed("add", 0, () -> hh.add_(sc));
      return Scopes.handOut(r, outer);
    }
  }

  private Tensor attn(Tensor x) {
    long[] s = x.sizes().vec().get();
    long b = s[0];
    long c = s[1];
    long hw = s[2] * s[3];
    Tensor h = normSwish(x, false);
    Tensor qh = conv(h, c, 1).reshape(b, c, hw).permute(0, 2, 1);
    Tensor kh = conv(h, c, 1).reshape(b, c, hw);
    Tensor vh = conv(h, c, 1).reshape(b, c, hw);
    Tensor w = timed("attention", 2.0 * b * hw * hw * c, () -> Bf16Compute.bmm16(qh, kh).mul(new org.bytedeco.pytorch.Scalar(0.04)));
    Tensor p = timed("attention", 0, () -> dtype == ScalarType.Float ? softmax(w, 2)
        : softmax(w, 2, new ScalarTypeOptional(ScalarType.Float)).to(dtype));
    Tensor out = timed("attention", 2.0 * b * hw * hw * c,
        () -> Bf16Compute.bmm16(vh, p.permute(0, 2, 1)).reshape(b, c, s[2], s[3]).contiguous(MemoryFormat.ChannelsLast));
    Tensor o = conv(out, c, 1);
    return timed("add", 0, () -> o.add_(x));
  }

  private Tensor up(Tensor x) {
    long[] s = x.sizes().vec().get();
    Tensor u = timed("upsample", 0, () -> upsample_nearest2d(x, s[2] * 2, s[3] * 2));
    return conv(u, s[1], 3);
  }

  /** The VQ-16 decoder's op sequence: ch 128, mult (1,1,2,2,4), 3 res blocks per level, 16x16 latents. */
  private void decoder(int batch) {
    try (PointerScope scope = new PointerScope()) {
      Tensor h = conv(randn(batch, 8, 16, 16).to(dtype).contiguous(MemoryFormat.ChannelsLast), 512, 3);
      h = res(h, 512);
      h = attn(h);
      h = res(h, 512);
      long[] chans = {512, 256, 256, 128, 128};
      for (int j = 0; j < 5; j++) {
        PointerScope outer = Scopes.outer();
        try (PointerScope level = new PointerScope()) {
          for (int i = 0; i < 3; i++) {
            h = res(h, chans[j]);
            if (j == 0) {
              h = attn(h);
            }
          }
          if (j < 4) {
            h = up(h);
          }
          h = Scopes.handOut(h, outer);
        }
      }
      h = conv(normSwish(h, true), 3, 3);
    }
  }

  private void report(String d, double total, int batch) {
    double sum = 0;
    double flop = 0;
    for (double[] a : acc.values()) {
      sum += a[0];
      flop += a[1];
    }
    System.out.printf(Locale.ROOT, "%s decoder replay batch %d: %.2f s (%.2f images/s), %.0f GFLOP/image, %.0f GFLOP/s overall%n",
        d, batch, total, batch / total, flop / batch / 1e9, flop / total / 1e9);
    for (Map.Entry<String, double[]> e : acc.entrySet()) {
      double[] a = e.getValue();
      System.out.printf(Locale.ROOT, "  %-10s %6.2f s %5.1f%%%s%n", e.getKey(), a[0], 100 * a[0] / sum,
          a[1] > 0 ? String.format(Locale.ROOT, "  %.0f GFLOP/s", a[1] / a[0] / 1e9) : "");
    }
    System.out.printf(Locale.ROOT, "  untimed    %6.2f s%n", total - sum);
  }
}
