package io.github.argrpo.models.vq;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decode time of the real VQ-16 decoder (random weights) for a batch of 256 px images, fp32 and bf16.
 * {@link VqDecodeBenchmarkTest} runs a short version when slow tests are included; the numbers in
 * {@code docs/performance.md} come from running it by hand:
 *
 * <pre>
 * java -cp "$(cat cp.txt):argrpo-models/target/classes:argrpo-models/target/test-classes:argrpo-core/target/classes" \
 *   -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 io.github.argrpo.models.vq.VqDecodeBenchmark 8 2 fp32,bf16
 * </pre>
 */
public final class VqDecodeBenchmark {

  /** Args: batch size, timed repetitions, precisions (comma-separated), optional device. */
  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    String precisions = args.length > 2 ? args[2] : "fp32,bf16";
    DeviceSpec device = DeviceSpec.parse(args.length > 3 ? args[3] : "cpu");
    NativeRuntime.init();
    System.out.printf("threads=%d batch=%d reps=%d device=%s%n", NativeRuntime.threads(), batch, reps, device);
    for (String p : precisions.split(",")) {
      System.out.println(run(Precision.parse(p), device, batch, reps));
      System.out.println("  peak RSS so far: " + status("VmHWM"));
    }
  }

  /** Times {@code reps} decodes of {@code batch} 256 px VQ-16 images after one warm-up; returns a summary line. */
  static String run(Precision precision, DeviceSpec device, int batch, int reps) {
    try (VqModel vq = VqModel.create(VqConfig.vq16(), precision, device)) {
      torch.manual_seed(0);
      double best = Double.MAX_VALUE;
      double total = 0;
      double cpuTotal = 0;
      for (int r = -1; r < reps; r++) {
        try (PointerScope ignored = new PointerScope()) {
          Tensor codes = torch.randint(16384, new long[] {batch, 256});
          long t0 = System.nanoTime();
          double c0 = cpuSeconds();
          Tensor img = vq.decodeRaw(codes);
          double v = img.abs().max().item_double(); // forces completion (and a sync on CUDA)
          double s = (System.nanoTime() - t0) / 1e9;
          double cpu = cpuSeconds() - c0;
          cpuTotal += r >= 0 ? cpu : 0;
          assertThat(img.sizes().vec().get()).containsExactly(batch, 3, 256, 256);
          assertThat(Double.isFinite(v)).isTrue();
          if (r >= 0) {
            best = Math.min(best, s);
            total += s;
          } else {
            System.out.printf("  %s warm-up %.2f s (process CPU %.2f s)%n", precision, s, cpu);
          }
        }
      }
      return String.format("VQ-16 decode %s batch %d (256 px): best %.2f s, mean %.2f s wall, %.2f s/image; "
          + "process CPU %.2f s per batch", precision, batch, best, total / reps, best / batch, cpuTotal / reps);
    }
  }

  /** User + system CPU seconds of this process so far (all threads), from /proc/self/stat. */
  static double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after the command: state is index 0, utime 11, stime 12 (clock ticks, 100 per second)
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** A line of /proc/self/status, e.g. {@code VmHWM} (peak resident memory). */
  static String status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key + ":")) {
          return line.substring(key.length() + 1).trim();
        }
      }
    } catch (IOException e) {
      return "n/a";
    }
    return "n/a";
  }
}
