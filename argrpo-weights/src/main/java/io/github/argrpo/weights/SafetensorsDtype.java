package io.github.argrpo.weights;

import java.util.Arrays;
import java.util.Locale;

import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The element types of the safetensors format, with their size and libtorch type. The constant names
 * are the strings of the file header ({@code "F32"}, {@code "BF16"}, ...).
 *
 * <p>Declared in the order of the Rust {@code safetensors::Dtype} enum, which its writer uses to sort
 * tensors (largest alignment first): {@link SafetensorsWriter} reproduces that layout.
 */
public enum SafetensorsDtype {
  /** Boolean, one byte (0 or 1). */
  BOOL(1, ScalarType.Bool),
  /** Unsigned 8-bit integer. */
  U8(1, ScalarType.Byte),
  /** Signed 8-bit integer. */
  I8(1, ScalarType.Char),
  /** 8-bit float, 5 exponent bits. */
  F8_E5M2(1, ScalarType.Float8_e5m2),
  /** 8-bit float, 4 exponent bits (finite, no infinities). */
  F8_E4M3(1, ScalarType.Float8_e4m3fn),
  /** Signed 16-bit integer. */
  I16(2, ScalarType.Short),
  /** Unsigned 16-bit integer. */
  U16(2, ScalarType.UInt16),
  /** IEEE half precision. */
  F16(2, ScalarType.Half),
  /** bfloat16. */
  BF16(2, ScalarType.BFloat16),
  /** Signed 32-bit integer. */
  I32(4, ScalarType.Int),
  /** Unsigned 32-bit integer. */
  U32(4, ScalarType.UInt32),
  /** IEEE single precision. */
  F32(4, ScalarType.Float),
  /** IEEE double precision. */
  F64(8, ScalarType.Double),
  /** Signed 64-bit integer. */
  I64(8, ScalarType.Long),
  /** Unsigned 64-bit integer. */
  U64(8, ScalarType.UInt64);

  private final int byteSize;
  private final ScalarType scalarType;

  SafetensorsDtype(int byteSize, ScalarType scalarType) {
    this.byteSize = byteSize;
    this.scalarType = scalarType;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** The libtorch element type. */
  public ScalarType scalarType() {
    return scalarType;
  }

  /**
   * The dtype named {@code name} in a file header.
   *
   * @throws IllegalArgumentException for a name this reader does not know
   */
  public static SafetensorsDtype fromName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unsupported safetensors dtype '" + name + "', expected one of "
              + Arrays.toString(values()), e);
    }
  }

  /**
   * The dtype that stores libtorch type {@code type}.
   *
   * @throws IllegalArgumentException for a type safetensors cannot hold (complex, quantized, ...)
   */
  public static SafetensorsDtype of(ScalarType type) {
    // Compare the native value: ScalarTypes returned by libtorch calls are fresh enum objects, not
    // the interned constants, so == fails for them.
    for (SafetensorsDtype d : values()) {
      if (d.scalarType.value == type.value) {
        return d;
      }
    }
    throw new IllegalArgumentException("libtorch dtype " + type + " has no safetensors equivalent");
  }
}
