package io.github.argrpo.weights;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the globals of a {@code torch.save} pickle mean, without Python:
 *
 * <ul>
 *   <li>{@code collections.OrderedDict()} is a {@link LinkedHashMap} (its {@code BUILD} state, the
 *       state dict's {@code _metadata}, is dropped);
 *   <li>{@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} (and the older
 *       {@code _rebuild_tensor}) is a {@link TorchTensorRef}, validated against its storage;
 *   <li>{@code torch._utils._rebuild_tensor_v3(untyped storage, ..., dtype)} (torch >= 2.1, for
 *       uint16/32/64 and float8) is a {@link TorchTensorRef} of that dtype;
 *   <li>tensors this reader cannot decode (quantized {@code _rebuild_qtensor}, other
 *       {@code torch*._rebuild_*} functions, complex storages, v3 dtypes without a safetensors
 *       equivalent) are {@link UndecodableTensor}s saying why;
 *   <li>{@code torch._tensor._rebuild_from_type_v2(func, type, args, state)}, which FSDP-consolidated
 *       checkpoints (LlamaGen 3B) wrap around every tensor, is {@code func(*args)}; the subclass and
 *       state are dropped;
 *   <li>{@code torch._utils._rebuild_parameter(data, ...)} is {@code data};
 *   <li>persistent ids {@code ('storage', torch.XStorage, key, location, numel)} are
 *       {@link TorchStorageRef}s;
 *   <li>anything else ({@code argparse.Namespace}, optimizer classes, numpy scalars) is an opaque
 *       {@link PickleObject}, so unknown entries never stop the tensors from loading.
 * </ul>
 */
final class TorchPickleHooks implements PickleReader.Hooks {

  private final Map<String, TorchStorageRef> storages = new HashMap<>();

  @Override
  public Object persistentLoad(Object pid, PickleReader at) throws WeightFormatException {
    if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))) {
      throw at.error("persistent id must be ('storage', type, key, location, numel), got "
          + PickleReader.describe(pid));
    }
    if (!(t.get(1) instanceof PickleGlobal type) || !(t.get(2) instanceof String key)
        || !(t.get(4) instanceof Long numel) || numel < 0) {
      throw at.error("malformed storage id (" + t.stream().map(PickleReader::describe).toList() + ")");
    }
    String location = t.get(3) instanceof String s ? s : String.valueOf(t.get(3));
    SafetensorsDtype dtype = type.name().equals("UntypedStorage") ? SafetensorsDtype.U8
        : TorchStorageRef.dtypeOf(type.name());
    TorchStorageRef ref = new TorchStorageRef(key, type.qualifiedName(), dtype, location, numel);
    TorchStorageRef prev = storages.putIfAbsent(key, ref);
    if (prev != null && !prev.equals(ref)) {
      throw at.error("storage '" + key + "' is described twice, differently: " + prev + " and " + ref);
    }
    return prev != null ? prev : ref;
  }

  @Override
  public Object call(Object callable, List<Object> args, PickleReader at) throws WeightFormatException {
    return call(callable, args, at, 0);
  }

  private Object call(Object callable, List<Object> args, PickleReader at, int depth)
      throws WeightFormatException {
    if (depth > 8) {
      throw at.error("_rebuild_from_type_v2 nested more than 8 deep");
    }
    if (!(callable instanceof PickleGlobal g)) {
      return new PickleObject(callable, args);
    }
    switch (g.qualifiedName()) {
      case "collections.OrderedDict": {
        Map<Object, Object> m = new LinkedHashMap<>();
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
          for (Object p : pairs) {
            if (p instanceof List<?> kv && kv.size() == 2) {
              m.put(at.hashable(kv.get(0)), kv.get(1));
            }
          }
        }
        return m;
      }
      case "torch._utils._rebuild_tensor_v2":
      case "torch._utils._rebuild_tensor":
        return tensor(args, null, at);
      case "torch._utils._rebuild_tensor_v3": {
        // torch >= 2.1 for dtypes without a typed storage class (uint16/32/64, float8, ...):
        // (untyped storage, offset, size, stride, requires_grad, hooks, dtype[, metadata])
        if (args.size() < 7 || !(args.get(6) instanceof PickleGlobal dt) || !dt.module().equals("torch")) {
          throw at.error("_rebuild_tensor_v3 needs (storage, offset, size, stride, requires_grad, hooks, dtype), got "
              + args.stream().map(PickleReader::describe).toList());
        }
        SafetensorsDtype dtype = dtypeOf(dt.name());
        if (dtype == null) {
          return new UndecodableTensor("its dtype torch." + dt.name() + " (saved with _rebuild_tensor_v3) has no "
              + "safetensors equivalent; convert it in Python (e.g. tensor.float()) before saving");
        }
        return tensor(args, dtype, at);
      }
      case "torch._utils._rebuild_qtensor":
        return new UndecodableTensor("it is a quantized tensor (_rebuild_qtensor); save tensor.dequantize() instead");
      case "torch._tensor._rebuild_from_type_v2": {
        if (args.size() < 3 || !(args.get(2) instanceof List<?>)) {
          throw at.error("_rebuild_from_type_v2 needs (func, type, args, state), got "
              + args.size() + " arguments");
        }
        @SuppressWarnings("unchecked")
        List<Object> inner = (List<Object>) args.get(2);
        return call(args.get(0), inner, at, depth + 1);
      }
      case "torch._utils._rebuild_parameter":
      case "torch._utils._rebuild_parameter_with_state":
        if (args.isEmpty()) {
          throw at.error("_rebuild_parameter needs (data, requires_grad, hooks)");
        }
        return args.get(0);
      default:
        if (g.module().startsWith("torch") && g.name().startsWith("_rebuild_")) {
          return new UndecodableTensor("it is saved with " + g.qualifiedName() + " (a sparse, nested, meta or "
              + "subclass tensor), which this reader does not decode; save a dense tensor (tensor.to_dense()) instead");
        }
        return new PickleObject(g, args);
    }
  }

  /** The element type of a torch dtype name ({@code torch.uint16} is {@code uint16}), or null. */
  static SafetensorsDtype dtypeOf(String torchDtype) {
    return switch (torchDtype) {
      case "float32", "float" -> SafetensorsDtype.F32;
      case "float16", "half" -> SafetensorsDtype.F16;
      case "bfloat16" -> SafetensorsDtype.BF16;
      case "float64", "double" -> SafetensorsDtype.F64;
      case "int64", "long" -> SafetensorsDtype.I64;
      case "int32", "int" -> SafetensorsDtype.I32;
      case "int16", "short" -> SafetensorsDtype.I16;
      case "int8" -> SafetensorsDtype.I8;
      case "uint8" -> SafetensorsDtype.U8;
      case "bool" -> SafetensorsDtype.BOOL;
      case "uint16" -> SafetensorsDtype.U16;
      case "uint32" -> SafetensorsDtype.U32;
      case "uint64" -> SafetensorsDtype.U64;
      case "float8_e5m2" -> SafetensorsDtype.F8_E5M2;
      case "float8_e4m3fn" -> SafetensorsDtype.F8_E4M3;
      default -> null;
    };
  }

  @Override
  public void build(Object obj, Object state, PickleReader at) {
    if (obj instanceof PickleObject o) {
      o.setState(state);
    }
    // BUILD on an OrderedDict sets attributes (a state dict's _metadata: module versions); on a
    // tensor it restores Python attributes. Neither matters for the weights.
  }

  /**
   * The view a rebuild call describes; {@code dtype} null takes the storage's, and a storage whose
   * type has no safetensors dtype (complex, quantized) gives an {@link UndecodableTensor}.
   */
  private static Object tensor(List<Object> args, SafetensorsDtype dtype, PickleReader at)
      throws WeightFormatException {
    if (args.size() < 4 || !(args.get(0) instanceof TorchStorageRef storage)
        || !(args.get(1) instanceof Long offset)) {
      throw at.error("_rebuild_tensor_v2 needs (storage, offset, size, stride, ...), got "
          + args.stream().map(PickleReader::describe).toList());
    }
    if (storage.dtype() == null) {
      return new UndecodableTensor("its storage type " + storage.typeName() + " (complex or quantized) has no "
          + "safetensors equivalent; convert the tensor in Python (e.g. torch.view_as_real) before saving");
    }
    SafetensorsDtype type = dtype == null ? storage.dtype() : dtype;
    if (dtype != null && storage.dtype() != dtype && storage.numel() * storage.dtype().byteSize() % dtype.byteSize() != 0) {
      throw at.error("storage '" + storage.key() + "' of " + storage.numel() + " bytes is not a whole number of "
          + dtype + " elements");
    }
    long[] size = longs(args.get(2), "size", at);
    long[] stride = longs(args.get(3), "stride", at);
    if (size.length != stride.length) {
      throw at.error("tensor size has " + size.length + " dimensions but stride has " + stride.length);
    }
    TorchTensorRef ref = new TorchTensorRef(storage, type, offset, size, stride);
    try {
      long[] span = ref.span();
      if (offset < 0 || span[1] > ref.storageElements()) {
        throw at.error("tensor view " + ref + " reaches element " + span[1] + " of a storage of "
            + ref.storageElements());
      }
      ref.numel();
    } catch (ArithmeticException e) {
      throw at.error("tensor view " + ref + " is too large to address");
    }
    return ref;
  }

  private static long[] longs(Object o, String what, PickleReader at) throws WeightFormatException {
    if (!(o instanceof List<?> l)) {
      throw at.error("tensor " + what + " must be a tuple of ints, got " + PickleReader.describe(o));
    }
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(l.get(i) instanceof Long v) || v < 0) {
        throw at.error("tensor " + what + " must hold non-negative ints, got "
            + l.stream().map(PickleReader::describe).toList());
      }
      out[i] = v;
    }
    return out;
  }
}
