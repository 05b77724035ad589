package io.github.argrpo.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModuleMemoryTest {

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  @Test
  void releaseEmptiesParametersGradientsAndBuffersEvenThroughOtherHandles() {
    Module root = new Module();
    LinearImpl lin = root.register_module("lin", new LinearImpl(4, 3));
    // owned handles, as the model classes keep them: they must see the release too
    Tensor weight = new Tensor(lin.weight());
    Tensor buffer = new Tensor(root.register_buffer("table", torch.ones(5, 5)));
    try (PointerScope s = new PointerScope()) {
      lin.forward(torch.ones(2, 4)).sum().backward();
    }
    assertThat(weight.grad().defined()).isTrue();
    assertThat(weight.numel()).isEqualTo(12);

    ModuleMemory.release(root);

    assertThat(weight.numel()).isZero();
    assertThat(weight.grad().numel()).isZero();
    assertThat(new Tensor(lin.bias()).numel()).isZero();
    assertThat(buffer.numel()).isZero();
    ModuleMemory.release(root); // idempotent
    ModuleMemory.release(null);
  }
}
