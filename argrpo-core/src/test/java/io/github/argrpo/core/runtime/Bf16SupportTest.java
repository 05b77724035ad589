package io.github.argrpo.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** bf16 through fp32 exactly where oneDNN has no bf16 ISA (AVX-512 core or AVX2-VNNI-2), unless overridden. */
class Bf16SupportTest {

  @Test
  void fp32PathOnlyWithoutOneDnnBf16Isas() {
    assertThat(Bf16Support.viaFp32(null, Set.of("fma", "avx2"))).isTrue();
    assertThat(Bf16Support.viaFp32(null, Set.of("avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq"))).isFalse();
    assertThat(Bf16Support.viaFp32(null, Set.of("avx2", "avx512f", "avx512bw", "avx512vl"))).as("no avx512dq").isTrue();
    assertThat(Bf16Support.viaFp32(null, Set.of("avx2", "avx_vnni_int8", "avx_ne_convert"))).isFalse();
    assertThat(Bf16Support.viaFp32(null, null)).as("flags unknown: libtorch decides").isFalse();
  }

  @Test
  void thePropertyOverridesTheFlags() {
    assertThat(Bf16Support.viaFp32("false", Set.of("avx2"))).isFalse();
    assertThat(Bf16Support.viaFp32(" true ", Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))).isTrue();
    assertThat(Bf16Support.viaFp32("", Set.of("avx2"))).as("blank: not set").isTrue();
  }
}
