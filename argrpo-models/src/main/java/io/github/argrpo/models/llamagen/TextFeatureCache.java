package io.github.argrpo.models.llamagen;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.condition.TextFeatures;

/**
 * t2i caption features kept on the model's device: each prompt's {@code (120, caption_dim)} features
 * and mask are copied there (and cast to the model dtype) once, when first used, instead of being
 * assembled in a Java array and copied for every sampling and log-prob call. A GRPO step uses each
 * prompt G times in sampling and again in every micro-batch of the policy and reference passes; with
 * the cache a batch is one device-side {@code stack} of resident rows.
 *
 * <p>Entries are keyed by the {@link TextFeatures} object's identity (it is immutable: its arrays are
 * copied in and out) and evicted least recently used beyond a byte budget. Cached tensors are kept out of the
 * callers' {@code PointerScope}s with {@code retainReference()} and released on eviction and
 * {@link #close()}. Thread-safe.
 */
final class TextFeatureCache implements AutoCloseable {

  /** Device bytes the cache may hold (256 MiB: about 540 FLAN-T5-XL prompts in bf16). */
  static final long DEFAULT_BUDGET_BYTES = 256L << 20;

  private record Entry(Tensor features, Tensor mask) {
  }

  /**
   * Identity of a (deeply immutable) {@link TextFeatures}: its own equals hashes 120 x dim floats, which
   * would cost more per lookup than the copy the cache saves.
   */
  private record Key(TextFeatures features) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.features == features;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(features);
    }
  }

  private final Device device;
  private final ScalarType dtype;
  private final long budgetBytes;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long uploads;

  TextFeatureCache(Device device, ScalarType dtype, long budgetBytes) {
    this.device = device;
    this.dtype = dtype;
    this.budgetBytes = budgetBytes;
  }

  /**
   * The features {@code (N, tokens, dim)} in the model dtype and the mask {@code (N, tokens)} of {@code rows},
   * in the caller's scope.
   */
  synchronized Tensor[] stack(List<TextFeatures> rows) {
    TensorVector f = new TensorVector();
    TensorVector m = new TensorVector();
    for (TextFeatures r : rows) {
      Entry e = entry(r);
      f.push_back(e.features());
      m.push_back(e.mask());
    }
    return new Tensor[] {torch.stack(f), torch.stack(m)};
  }

  private Entry entry(TextFeatures r) {
    Key key = new Key(r);
    Entry e = entries.get(key);
    if (e != null) {
      return e;
    }
    Tensor features;
    Tensor mask;
    // the host copies are temporaries; only the device tensors outlive this scope
    try (PointerScope scope = new PointerScope()) {
      features = Tensor.create(r.values(), r.tokens(), r.dim()).to(device, dtype);
      mask = Tensor.create(r.mask(), r.tokens()).to(device, ScalarType.Bool);
      features.retainReference();
      mask.retainReference();
    }
    e = new Entry(features, mask);
    entries.put(key, e);
    uploads++;
    bytes += size(e);
    for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); bytes > budgetBytes && it.hasNext(); ) {
      Map.Entry<Key, Entry> old = it.next();
      if (old.getValue() == e) {
        break;  // never the entry just made
      }
      it.remove();
      release(old.getValue());
    }
    return e;
  }

  private static long size(Entry e) {
    return e.features().nbytes() + e.mask().nbytes();
  }

  private void release(Entry e) {
    bytes -= size(e);
    e.features().releaseReference();
    e.mask().releaseReference();
  }

  /** Prompts copied to the device so far (each once while it stays cached). */
  synchronized long uploads() {
    return uploads;
  }

  /** Prompts resident now. */
  synchronized int size() {
    return entries.size();
  }

  /** Device bytes held now. */
  synchronized long bytes() {
    return bytes;
  }

  @Override
  public synchronized void close() {
    List<Entry> all = new ArrayList<>(entries.values());
    entries.clear();
    all.forEach(this::release);
  }
}
