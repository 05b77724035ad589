package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.argrpo.core.runtime.NativeRuntime;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of writing and reading a 500 MB weight file (page cache warm), safetensors and a
 * torch.save-style zip. Tagged {@code slow}, so the build skips it: the parent POM fixes
 * {@code excludedGroups} to {@code slow,gpu}; run it from an IDE, or through Maven once that setting
 * comes from an overridable property. It prints MB/s; on the 2-vCPU build VM (shared, noisy) it
 * measured about 110 MB/s for writing (fsync included) and 450-910 MB/s for open and read.
 */
@Tag("slow")
class LoadSpeedTest {

  static final int TENSORS = 10;
  static final long NUMEL = 50L * 1024 * 1024 / 4; // 50 MB of F32 each

  @TempDir Path tmp;

  @Test
  void measuresMegabytesPerSecond() throws IOException {
    NativeRuntime.init();
    Path st = tmp.resolve("big.safetensors");
    Path pt = tmp.resolve("big.pt");
    long bytes = TENSORS * NUMEL * 4;
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> sd = new LinkedHashMap<>();
      PickleBuilder p = new PickleBuilder();
      p.op('}').put().mark();
      TorchZipBuilder zip = new TorchZipBuilder();
      for (int i = 0; i < TENSORS; i++) {
        Tensor t = torch.randn(NUMEL / 1024, 1024);
        sd.put("layers." + i + ".weight", t);
        p.str("layers." + i + ".weight").tensor("FloatStorage", "" + i, NUMEL, 0,
            new long[] {NUMEL / 1024, 1024}, new long[] {1024, 1});
        byte[] raw = new byte[(int) (NUMEL * 4)];
        new BytePointer(t.data_ptr()).capacity(raw.length).get(raw);
        zip.add("big/data/" + i, raw);
      }
      p.op('u').op('.');
      zip.add("big/data.pkl", p.bytes());
      long t0 = System.nanoTime();
      SafetensorsWriter.write(st, sd);
      long t1 = System.nanoTime();
      zip.write(pt);
      report("safetensors write (with fsync)", bytes, t1 - t0);
      assertThat(Files.size(st)).isGreaterThan(bytes);

      for (int round = 0; round < 2; round++) {
        long a = System.nanoTime();
        try (SafetensorsFile f = SafetensorsFile.open(st)) {
          for (String k : f.keys()) {
            try (PointerScope s = new PointerScope()) {
              f.read(k);
            }
          }
        }
        long b = System.nanoTime();
        try (TorchCheckpointReader f = TorchCheckpointReader.open(pt)) {
          for (String k : f.keys()) {
            try (PointerScope s = new PointerScope()) {
              f.read(k);
            }
          }
        }
        long c = System.nanoTime();
        report("safetensors open+read, round " + round, bytes, b - a);
        report("torch zip open+read, round " + round, bytes, c - b);
      }
      try (SafetensorsFile f = SafetensorsFile.open(st); PointerScope s = new PointerScope()) {
        assertThat(torch.equal(f.read("layers.3.weight"), sd.get("layers.3.weight"))).isTrue();
      }
    }
  }

  private static void report(String what, long bytes, long nanos) {
    System.out.printf("%-40s %8.1f MB/s (%d MB in %d ms)%n", what, bytes / 1e6 / (nanos / 1e9),
        bytes / 1_000_000, nanos / 1_000_000);
  }
}
