package io.github.argrpo.weights;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Emits pickle opcodes the way Python's protocol-2 pickler does for {@code torch.save}, so tests can
 * build checkpoints with OrderedDicts, {@code argparse.Namespace}, optimizer state and views without
 * Python. Each method writes one construct; the caller arranges them as the pickler would.
 */
final class PickleBuilder {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int memo;

  PickleBuilder() {
    op(0x80).op(2);
  }

  PickleBuilder op(int b) {
    out.write(b);
    return this;
  }

  PickleBuilder raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  /** BINPUT of the next memo slot (the pickler memoizes most objects). */
  PickleBuilder put() {
    return op('q').op(memo++);
  }

  PickleBuilder mark() {
    return op('(');
  }

  PickleBuilder str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return op('X').raw(le32(b.length)).raw(b).put();
  }

  PickleBuilder global(String module, String name) {
    return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII)).put();
  }

  PickleBuilder integer(long v) {
    if (v >= 0 && v < 256) {
      return op('K').op((int) v);
    }
    if (v >= 0 && v < 65536) {
      return op('M').op((int) (v & 0xFF)).op((int) (v >>> 8));
    }
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      return op('J').raw(le32((int) v));
    }
    byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    return op(0x8a).op(8).raw(b);
  }

  PickleBuilder floating(double v) {
    return op('G').raw(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
  }

  /** A tuple of ints, as the pickler writes sizes and strides. */
  PickleBuilder intTuple(long... v) {
    if (v.length == 0) {
      return op(')');
    }
    if (v.length <= 3) {
      for (long x : v) {
        integer(x);
      }
      return op(0x84 + v.length).put();
    }
    mark();
    for (long x : v) {
      integer(x);
    }
    return op('t').put();
  }

  /** {@code collections.OrderedDict()} (then SETITEMS fill it). */
  PickleBuilder orderedDict() {
    return global("collections", "OrderedDict").op(')').op('R').put();
  }

  /**
   * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}
   * with persistent id {@code ('storage', torch.<type>, key, 'cpu', numel)}.
   */
  PickleBuilder tensor(String storageType, String key, long numel, long offset, long[] size,
      long[] stride) {
    global("torch._utils", "_rebuild_tensor_v2");
    mark();
    mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).op('t').put();
    op('Q');
    integer(offset).intTuple(size).intTuple(stride).op(0x89).orderedDict();
    return op('t').put().op('R').put();
  }

  /**
   * {@code torch._utils._rebuild_tensor_v3(storage, offset, size, stride, False, OrderedDict(), torch.<dtype>)}
   * over persistent id {@code ('storage', torch.UntypedStorage, key, 'cpu', nbytes)}, as torch 2.1 and
   * later save uint16/32/64 and float8 tensors.
   */
  PickleBuilder tensorV3(String dtype, String key, long nbytes, long offset, long[] size, long[] stride) {
    global("torch._utils", "_rebuild_tensor_v3");
    mark();
    mark().str("storage").global("torch", "UntypedStorage").str(key).str("cpu").integer(nbytes).op('t').put();
    op('Q');
    integer(offset).intTuple(size).intTuple(stride).op(0x89).orderedDict().global("torch", dtype);
    return op('t').put().op('R').put();
  }

  /**
   * {@code torch._utils._rebuild_qtensor(storage, offset, size, stride, (torch.per_tensor_affine, 0.1, 0),
   * False, OrderedDict())} over a {@code QInt8Storage}: a quantized tensor.
   */
  PickleBuilder quantizedTensor(String key, long numel, long[] size, long[] stride) {
    global("torch._utils", "_rebuild_qtensor");
    mark();
    mark().str("storage").global("torch", "QInt8Storage").str(key).str("cpu").integer(numel).op('t').put();
    op('Q');
    integer(0).intTuple(size).intTuple(stride);
    mark().global("torch", "per_tensor_affine").floating(0.1).integer(0).op('t');
    op(0x89).orderedDict();
    return op('t').put().op('R').put();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }
}
