package io.github.argrpo.eval.imagenet.inception;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.eval.imagenet.RgbImage;
import io.github.argrpo.weights.SafetensorsFile;

/**
 * The bf16 network against the reference float32 pool_3 of the inception-fid fixture: bf16 keeps 8
 * mantissa bits, so a few percent of the largest feature is the expected scale of its error (the
 * fp32 path is held to 2e-5 by the parity suite).
 */
class FidInceptionV3PrecisionTest {

  @Test
  void bf16PoolFeaturesStayWithinAFewPercentOfTheFloat32Reference() throws Exception {
    Path dir = Fixtures.sharedDir().resolve("fixtures/eval/inception-fid");
    Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("weights.safetensors")), "no inception-fid fixture");
    List<RgbImage> images = new ArrayList<>();
    float[] expected;
    try (SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors")); PointerScope scope = new PointerScope()) {
      Tensor img = io.read("b256.images");
      long[] s = img.shape();
      int per = (int) (s[1] * s[2] * 3);
      byte[] all = new byte[(int) img.numel()];
      img.contiguous().data_ptr_byte().get(all);
      for (int i = 0; i < s[0]; i++) {
        byte[] one = new byte[per];
        System.arraycopy(all, i * per, one, 0, per);
        images.add(new RgbImage(one, (int) s[1], (int) s[2]));
      }
      Tensor pool = io.read("b256.pool").to(ScalarType.Float).contiguous();
      expected = new float[(int) pool.numel()];
      pool.data_ptr_float().get(expected);
    }
    try (FidInceptionV3 net = FidInceptionV3.load(dir.resolve("weights.safetensors"), Precision.BF16)) {
      assertThat(net.precision()).isEqualTo(Precision.BF16);
      float[] pool = net.features(images).pool();
      double max = 0;
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        max = Math.max(max, Math.abs(expected[i]));
        worst = Math.max(worst, Math.abs(pool[i] - expected[i]));
      }
      assertThat(worst / max).isLessThan(0.05).isGreaterThan(0.0);
    }
  }
}
