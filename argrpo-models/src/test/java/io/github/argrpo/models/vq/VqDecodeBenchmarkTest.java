package io.github.argrpo.models.vq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;

/** A short {@link VqDecodeBenchmark} run (real VQ-16, 2 images of 256 px) for builds that include slow tests. */
@Tag("slow")
class VqDecodeBenchmarkTest {

  @Test
  void decodesAVq16BatchInBothPrecisions() {
    NativeRuntime.init();
    assertThat(VqDecodeBenchmark.run(Precision.FP32, DeviceSpec.CPU, 2, 1)).contains("FP32 batch 2");
    assertThat(VqDecodeBenchmark.run(Precision.BF16, DeviceSpec.CPU, 2, 1)).contains("BF16 batch 2");
  }
}
