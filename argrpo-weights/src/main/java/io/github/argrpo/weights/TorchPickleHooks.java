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
        return tensor(args, at);
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
        return new PickleObject(g, args);
    }
  }

  @Override
  public void build(Object obj, Object state, PickleReader at) {
    if (obj instanceof PickleObject o) {
      o.setState(state);
    }
    // BUILD on an OrderedDict sets attributes (a state dict's _metadata: module versions); on a
    // tensor it restores Python attributes. Neither matters for the weights.
  }

  private static TorchTensorRef tensor(List<Object> args, PickleReader at) throws WeightFormatException {
    if (args.size() < 4 || !(args.get(0) instanceof TorchStorageRef storage)
        || !(args.get(1) instanceof Long offset)) {
      throw at.error("_rebuild_tensor_v2 needs (storage, offset, size, stride, ...), got "
          + args.stream().map(PickleReader::describe).toList());
    }
    long[] size = longs(args.get(2), "size", at);
    long[] stride = longs(args.get(3), "stride", at);
    if (size.length != stride.length) {
      throw at.error("tensor size has " + size.length + " dimensions but stride has " + stride.length);
    }
    TorchTensorRef ref = new TorchTensorRef(storage, offset, size, stride);
    try {
      long[] span = ref.span();
      if (offset < 0 || span[1] > storage.numel()) {
        throw at.error("tensor view " + ref + " reaches element " + span[1] + " of a storage of "
            + storage.numel());
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
