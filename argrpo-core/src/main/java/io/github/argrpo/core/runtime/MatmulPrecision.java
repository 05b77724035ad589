package io.github.argrpo.core.runtime;

import org.bytedeco.pytorch.Context;
import org.bytedeco.pytorch.global.torch;

/**
 * Whether fp32 matmuls and convolutions on CUDA may use TensorFloat-32 (10-bit mantissa inputs, fp32
 * accumulation): LlamaGen's scripts enable it ({@code torch.backends.cuda.matmul.allow_tf32 = True},
 * {@code torch.backends.cudnn.allow_tf32 = True}), which makes fp32 training several times faster on
 * Ampere and Hopper GPUs at about 1e-3 relative error per matmul. The setting is process-wide and has no
 * effect on CPU.
 */
public final class MatmulPrecision {

  private MatmulPrecision() {}

  /** Allows (or forbids) TF32 in cuBLAS matmuls and cuDNN convolutions, as LlamaGen's training scripts do. */
  public static void allowTf32(boolean allow) {
    NativeRuntime.init();
    Context c = torch.globalContext();
    c.setAllowTF32CuBLAS(allow);
    c.setAllowTF32CuDNN(allow);
  }

  /** Whether cuBLAS matmuls may use TF32 now. */
  public static boolean tf32Allowed() {
    NativeRuntime.init();
    return torch.globalContext().allowTF32CuBLAS();
  }
}
