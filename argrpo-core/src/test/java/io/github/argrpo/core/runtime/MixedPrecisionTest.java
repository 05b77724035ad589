package io.github.argrpo.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/** The CUDA precision switches, checked on CPU where libtorch runs the same autocast machinery. */
class MixedPrecisionTest {

  @Test
  void insideTheScopeMatmulsRunInBf16AndTheStateIsRestoredAfter() {
    NativeRuntime.init();
    try (PointerScope s = new PointerScope()) {
      Tensor a = torch.randn(4, 4);
      boolean before = torch.is_autocast_enabled(DeviceType.CPU);
      try (Autocast ac = Autocast.bf16(DeviceType.CPU)) {
        assertThat(torch.linear(a, a).scalar_type().value).isEqualTo(ScalarType.BFloat16.value);
        try (Autocast inner = Autocast.bf16(DeviceType.CPU)) {
          assertThat(torch.linear(a, a).scalar_type().value).isEqualTo(ScalarType.BFloat16.value);
        }
        assertThat(torch.is_autocast_enabled(DeviceType.CPU)).isTrue();   // the inner scope restored the outer one
      }
      assertThat(torch.is_autocast_enabled(DeviceType.CPU)).isEqualTo(before);
      assertThat(torch.linear(a, a).scalar_type().value).isEqualTo(ScalarType.Float.value);
    }
  }

  @Test
  void aDisabledScopeKeepsFp32InsideAnAutocastRegionAndRestoresIt() {
    NativeRuntime.init();
    try (PointerScope s = new PointerScope()) {
      Tensor a = torch.randn(4, 4);
      try (Autocast ac = Autocast.bf16(DeviceType.CPU)) {
        try (Autocast off = Autocast.disabled(DeviceType.CPU)) {
          assertThat(torch.is_autocast_enabled(DeviceType.CPU)).isFalse();
          assertThat(torch.linear(a, a).scalar_type().value).isEqualTo(ScalarType.Float.value);
        }
        assertThat(torch.is_autocast_enabled(DeviceType.CPU)).isTrue();
        assertThat(torch.linear(a, a).scalar_type().value).isEqualTo(ScalarType.BFloat16.value);
      }
    }
  }

  @Test
  void tf32CanBeAllowedAndForbidden() {
    boolean before = MatmulPrecision.tf32Allowed();
    try {
      MatmulPrecision.allowTf32(true);
      assertThat(MatmulPrecision.tf32Allowed()).isTrue();
      MatmulPrecision.allowTf32(false);
      assertThat(MatmulPrecision.tf32Allowed()).isFalse();
    } finally {
      MatmulPrecision.allowTf32(before);
    }
  }
}
