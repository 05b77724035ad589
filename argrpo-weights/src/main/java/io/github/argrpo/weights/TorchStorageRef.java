package io.github.argrpo.weights;

/**
 * A storage named by a {@code torch.save} persistent id
 * {@code ('storage', torch.FloatStorage, key, location, numel)}: its bytes are zip entry
 * {@code <archive>/data/<key>}.
 *
 * @param key the entry name under {@code data/}
 * @param typeName the storage class, e.g. {@code torch.FloatStorage}
 * @param dtype the element type, or {@code null} for a storage type this reader cannot hold
 *     (complex, quantized)
 * @param location where it lived when saved ({@code cpu}, {@code cuda:0}); everything loads on CPU
 * @param numel the number of elements
 */
record TorchStorageRef(String key, String typeName, SafetensorsDtype dtype, String location,
    long numel) {

  /** The element type of a legacy typed-storage class name such as {@code FloatStorage}. */
  static SafetensorsDtype dtypeOf(String storageClass) {
    return switch (storageClass) {
      case "FloatStorage" -> SafetensorsDtype.F32;
      case "HalfStorage" -> SafetensorsDtype.F16;
      case "BFloat16Storage" -> SafetensorsDtype.BF16;
      case "DoubleStorage" -> SafetensorsDtype.F64;
      case "LongStorage" -> SafetensorsDtype.I64;
      case "IntStorage" -> SafetensorsDtype.I32;
      case "ShortStorage" -> SafetensorsDtype.I16;
      case "CharStorage" -> SafetensorsDtype.I8;
      case "ByteStorage" -> SafetensorsDtype.U8;
      case "BoolStorage" -> SafetensorsDtype.BOOL;
      case "UInt16Storage" -> SafetensorsDtype.U16;
      case "UInt32Storage" -> SafetensorsDtype.U32;
      case "UInt64Storage" -> SafetensorsDtype.U64;
      case "Float8_e5m2Storage" -> SafetensorsDtype.F8_E5M2;
      case "Float8_e4m3fnStorage" -> SafetensorsDtype.F8_E4M3;
      default -> null;
    };
  }
}
