package io.github.argrpo.examples.export;

import java.util.Locale;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.models.vq.VqTokenizer;

/**
 * How a raw decoder output {@code x} (about [-1, 1]) becomes 8-bit pixels. The two reference pipelines
 * differ by up to one level per pixel, which moves FID slightly:
 */
public enum Uint8Conversion {

  /**
   * AR-GRPO's {@code test.py}: {@code clamp((x + 1) / 2, 0, 1) * 255} cast to uint8, truncating (the
   * paper's FID numbers).
   */
  AR_GRPO,

  /**
   * LlamaGen's {@code sample_c2i_ddp.py}: {@code clamp(127.5 x + 128, 0, 255)} cast to uint8, i.e.
   * round-half-up of {@code 127.5 x + 127.5} (LlamaGen's README numbers).
   */
  LLAMAGEN;

  /** Parses {@code ar-grpo} / {@code llamagen}. */
  public static Uint8Conversion parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "ar-grpo", "argrpo" -> AR_GRPO;
      case "llamagen" -> LLAMAGEN;
      default -> throw new IllegalArgumentException("uint8 conversion must be ar-grpo or llamagen, got '" + s + "'");
    };
  }

  /**
   * Converts {@code raw (B, 3, H, W)} to {@code B} arrays of {@code H*W*3} bytes (HWC, the npz layout).
   */
  public byte[][] toHwcBytes(Tensor raw) {
    int b = (int) raw.size(0);
    int h = (int) raw.size(2);
    int w = (int) raw.size(3);
    byte[][] out = new byte[b][h * w * 3];
    try (PointerScope scope = new PointerScope()) {
      Tensor u;
      if (this == LLAMAGEN) {
        u = VqTokenizer.toUint8(raw);
      } else {
        Tensor y = VqTokenizer.toUnitRange(raw).mul(new Scalar(255.0))
            .clamp(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(255.0)));
        u = y.permute(0, 2, 3, 1).to(new Device("cpu"), ScalarType.Byte).contiguous();
      }
      BytePointer p = new BytePointer(u.data_ptr_byte());
      for (int i = 0; i < b; i++) {
        p.position((long) i * h * w * 3).get(out[i]);
      }
    }
    return out;
  }
}
