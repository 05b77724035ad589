package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * torch >= 2.1 writes uint16/32/64 and float8 tensors with {@code _rebuild_tensor_v3} over an untyped
 * byte storage (torch/_utils.py; the offset and strides count elements of the dtype argument); these
 * decode. Quantized tensors, complex storages and v3 dtypes without a safetensors type do not: they
 * are reported by key with why, and a load that needs one says "present but not decodable".
 * The values are hand-encoded: uint16 little-endian 1, 65535, 258; float8_e4m3fn 0x38 = 1.0 and
 * 0xC0 = -2.0 (sign, 4 exponent bits with bias 7, 3 mantissa bits).
 */
class TorchUndecodableTensorTest {

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  private static long[] s(long... v) {
    return v;
  }

  private Path checkpoint() throws IOException {
    PickleBuilder p = new PickleBuilder();
    p.orderedDict().mark();
    p.str("u").tensorV3("uint16", "0", 6, 0, s(3), s(1));
    p.str("u_tail").tensorV3("uint16", "0", 6, 1, s(2), s(1));
    p.str("f8").tensorV3("float8_e4m3fn", "1", 2, 0, s(2), s(1));
    p.str("w").tensor("FloatStorage", "2", 1, 0, s(1), s(1));
    p.str("q").quantizedTensor("3", 4, s(4), s(1));
    p.str("cx").tensorV3("complex32", "4", 4, 0, s(1), s(1));
    p.str("c").tensor("ComplexFloatStorage", "5", 1, 0, s(1), s(1));
    p.op('u').op('.');
    Path f = tmp.resolve("v3.pt");
    new TorchZipBuilder()
        .add("v3/data.pkl", p.bytes())
        .add("v3/byteorder", "little".getBytes(StandardCharsets.US_ASCII))
        .add("v3/data/0", new byte[] {1, 0, (byte) 0xFF, (byte) 0xFF, 2, 1})
        .add("v3/data/1", new byte[] {0x38, (byte) 0xC0})
        .add("v3/data/2", TorchCheckpointSyntheticTest.floats(3.5f))
        .add("v3/data/3", new byte[4])
        .add("v3/data/4", new byte[4])
        .add("v3/data/5", new byte[8])
        .add("v3/version", "3\n".getBytes(StandardCharsets.US_ASCII))
        .write(f);
    return f;
  }

  @Test
  void rebuildTensorV3DecodesWithItsDtypeArgument() throws IOException {
    try (TorchCheckpointReader r = TorchCheckpointReader.open(checkpoint()); PointerScope scope = new PointerScope()) {
      assertThat(r.keys()).containsExactly("u", "u_tail", "f8", "w");
      assertThat(r.info("u").dtype()).isEqualTo("U16");
      assertThat(r.info("f8").dtype()).isEqualTo("F8_E4M3");
      assertThat(longs(r.read("u"))).containsExactly(1, 65535, 258);
      assertThat(longs(r.read("u_tail"))).containsExactly(65535, 258);
      float[] f8 = new float[2];
      r.read("f8").to(ScalarType.Float).data_ptr_float().get(f8);
      assertThat(f8).containsExactly(1.0f, -2.0f);
    }
  }

  @Test
  void undecodableTensorsAreNamedWithWhyAndNotCalledMissing() throws IOException {
    try (TorchCheckpointReader r = TorchCheckpointReader.open(checkpoint()); PointerScope scope = new PointerScope()) {
      assertThat(r.undecodable()).containsOnlyKeys("q", "cx", "c");
      assertThat(r.undecodable().get("q")).contains("quantized").contains("dequantize");
      assertThat(r.undecodable().get("cx")).contains("torch.complex32");
      assertThat(r.undecodable().get("c")).contains("ComplexFloatStorage");
      assertThatThrownBy(() -> r.read("q")).hasMessageContaining("'q'")
          .hasMessageContaining("present but not decodable: it is a quantized tensor");
      Map<String, Tensor> target = new LinkedHashMap<>();
      target.put("w", torch.zeros(1));
      target.put("q", torch.zeros(4));
      assertThatThrownBy(() -> StateDictLoader.defaults().load(r, target))
          .isInstanceOf(StateDictMismatchException.class)
          .hasMessageContaining("missing from the file (1): [q (present but not decodable: it is a quantized tensor");
    }
  }

  private static long[] longs(Tensor t) {
    Tensor l = t.to(ScalarType.Long).contiguous();
    long[] out = new long[(int) l.numel()];
    l.data_ptr_long().get(out);
    return out;
  }
}
