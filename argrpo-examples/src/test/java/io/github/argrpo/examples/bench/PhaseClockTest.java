package io.github.argrpo.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.PeakRss;

/**
 * Each phase of {@code argrpo bench step} reports its own peak memory: a phase that allocates nothing
 * after one that held 512 MB must not inherit that peak (it would without the reset of the kernel's
 * high-water mark between phases).
 */
class PhaseClockTest {

  private static final long MB = 1024 * 1024;

  @Test
  void aPhaseDoesNotInheritThePeakOfTheOneBefore() {
    NativeRuntime.init();
    assumeTrue(PeakRss.reset(), "this kernel keeps no resettable high-water mark");
    PhaseClock clock = new PhaseClock();
    clock.start("big");
    try (Tensor t = torch.ones(128 * MB)) {   // 128 Mi floats = 512 MB, every page written
      assertThat(t.sum().item_float()).isEqualTo(128f * MB);
    }
    clock.stop();
    clock.start("small");
    clock.stop();
    double big = clock.peakGigabytes("big");
    double small = clock.peakGigabytes("small");
    assertThat(big - small).as("peak of 'big' %.3f GB against 'small' %.3f GB", big, small).isGreaterThan(0.4);
    assertThat(clock.seconds()).containsOnlyKeys("big", "small");
  }

  @Test
  void phasesDoNotNest() {
    PhaseClock clock = new PhaseClock();
    clock.start("a");
    assertThatThrownBy(() -> clock.start("b")).isInstanceOf(IllegalStateException.class).hasMessageContaining("'a' is still running");
    clock.stop();
    assertThatThrownBy(clock::stop).isInstanceOf(IllegalStateException.class).hasMessageContaining("no phase is running");
  }
}
