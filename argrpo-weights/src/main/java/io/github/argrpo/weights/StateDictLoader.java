package io.github.argrpo.weights;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.argrpo.core.runtime.NativeRuntime;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.StringTensorDictItem;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the tensors of a {@link WeightSource} into the live parameters and buffers of a model, all
 * or nothing: the complete key set and every shape are checked first, and one
 * {@link StateDictMismatchException} names every missing, unexpected and mismatched key. Only then
 * are the values copied, under {@code NoGradGuard}, cast to each target's dtype and device. A model
 * is never left half loaded by a wrong file (an I/O failure during the copy itself can still
 * interrupt it).
 *
 * <pre>{@code
 * try (WeightSource w = WeightFiles.open(Path.of("c2i_B_256.pt"));
 *      PointerScope scope = new PointerScope()) {
 *   StateDictLoader.defaults().load(w, StateDictLoader.stateDict(gpt));
 * }
 * }</pre>
 *
 * <p>Unlike LlamaGen's own {@code load_state_dict(sd, strict=False)}, which silently keeps random
 * weights for missing keys, this is strict; keys matching an ignore pattern are neither required
 * nor copied. The default patterns skip what reference checkpoints may carry or lack without it
 * mattering: {@code freqs_cis} (recomputed), {@code *.kv_cache.*} (sampling state saved after
 * {@code setup_caches}) and {@code quantize.codebook_used} (a VQ training statistic).
 *
 * <p><b>Prefixed files.</b> When the file's names do not fit but every model key is present under one
 * prefix, that prefix's tensors are loaded and the rest ignored: an AR-GRPO {@code save_pretrained}
 * checkpoint stores the policy as {@code gpt_model.*} beside {@code ref_model.gpt_model.*} (its
 * reference copy) and {@code vq_model.*}; the shortest covering prefix wins, so the policy's
 * {@code gpt_model.} is taken. When keys fit only partly under a prefix, the mismatch error names the
 * prefix found and the names expected.
 */
public final class StateDictLoader {

  private static final Logger LOG = LoggerFactory.getLogger(StateDictLoader.class);

  /** The default ignore patterns (globs; {@code *} matches any characters, dots included). */
  public static final List<String> DEFAULT_IGNORED =
      List.of("freqs_cis", "*.freqs_cis", "*.kv_cache.*", "quantize.codebook_used");

  private final List<String> ignored;
  private final List<Pattern> patterns;

  private StateDictLoader(List<String> ignored) {
    this.ignored = List.copyOf(ignored);
    this.patterns = this.ignored.stream().map(StateDictLoader::glob).toList();
  }

  /** A loader ignoring {@link #DEFAULT_IGNORED}. */
  public static StateDictLoader defaults() {
    return new StateDictLoader(DEFAULT_IGNORED);
  }

  /** A loader ignoring exactly {@code patterns} (globs); none makes it fully strict. */
  public static StateDictLoader ignoring(List<String> patterns) {
    checkNotNull(patterns, "patterns");
    for (String p : patterns) {
      checkArgument(p != null && !p.isBlank(), "ignore patterns must be non-blank, got %s", patterns);
    }
    return new StateDictLoader(patterns);
  }

  /** This loader's patterns plus {@code more}. */
  public StateDictLoader alsoIgnoring(String... more) {
    List<String> all = new ArrayList<>(ignored);
    all.addAll(Arrays.asList(more));
    return ignoring(all);
  }

  /** The ignore patterns. */
  public List<String> ignoredPatterns() {
    return ignored;
  }

  /** Whether {@code key} matches an ignore pattern. */
  public boolean isIgnored(String key) {
    for (Pattern p : patterns) {
      if (p.matcher(key).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a load did.
   *
   * @param loaded keys copied
   * @param ignoredInSource file keys skipped by a pattern
   * @param ignoredInTarget model keys skipped by a pattern (left as they were)
   * @param bytesRead bytes of tensor data read from the source
   */
  public record Report(List<String> loaded, List<String> ignoredInSource, List<String> ignoredInTarget,
      long bytesRead) {}

  /**
   * Checks then copies {@code source} into {@code target}.
   *
   * @param source the weights
   * @param target live tensors by state-dict name (see {@link #stateDict(Module)}); written in place
   * @throws StateDictMismatchException if keys or shapes differ; nothing is copied then
   */
  public Report load(WeightSource source, Map<String, Tensor> target) {
    checkNotNull(source, "source");
    checkNotNull(target, "target");
    NativeRuntime.init();
    Set<String> wanted = new LinkedHashSet<>();
    for (String k : target.keySet()) {
      if (!isIgnored(k)) {
        wanted.add(k);
      }
    }
    if (source.keys().containsAll(wanted)) {
      return loadExactly(source, target, null);
    }
    Map<String, Integer> coverage = KeyPrefixes.coverage(source.keys(), wanted);
    Optional<String> full = KeyPrefixes.covering(coverage, wanted.size());
    if (full.isPresent()) {
      PrefixedWeights view = PrefixedWeights.of(source, full.get());
      LOG.info("{}: loading the {} tensors under '{}' (ignoring {} other tensors of the file)", source,
          view.keys().size(), full.get(), source.keys().size() - view.keys().size());
      return loadExactly(view, target, null);
    }
    Optional<String> partial = KeyPrefixes.mostCovering(coverage);
    if (partial.isPresent()) {
      String p = partial.get();
      String example = wanted.iterator().next();
      PrefixedWeights view = PrefixedWeights.of(source, p);
      String hint = "the file stores its tensors under the prefix '" + p + "' (" + view.keys().size()
          + " tensors, e.g. '" + p + example + "'), while this model expects names without it (e.g. '" + example
          + "'); compared without the prefix, ignoring the " + (source.keys().size() - view.keys().size())
          + " tensors outside it. Check that the file holds this architecture (model type, preset, class count)";
      return loadExactly(view, target, hint);
    }
    return loadExactly(source, target, null);
  }

  private Report loadExactly(WeightSource source, Map<String, Tensor> target, String hint) {
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> shapes = new ArrayList<>();
    List<String> ignoredSource = new ArrayList<>();
    List<String> ignoredTarget = new ArrayList<>();
    List<String> toLoad = new ArrayList<>();
    for (String k : source.keys()) {
      if (isIgnored(k)) {
        ignoredSource.add(k);
      } else if (!target.containsKey(k)) {
        unexpected.add(k);
      }
    }
    for (Map.Entry<String, Tensor> e : target.entrySet()) {
      String k = e.getKey();
      Tensor t = e.getValue();
      if (isIgnored(k)) {
        ignoredTarget.add(k);
        continue;
      }
      checkArgument(t != null && !t.isNull() && t.defined(), "target tensor '%s' is null or undefined", k);
      if (!source.keys().contains(k)) {
        String why = source.undecodable().get(k);
        missing.add(why == null ? k : k + " (present but not decodable: " + why + ")");
        continue;
      }
      long[] fileShape = source.info(k).shape();
      long[] modelShape = t.shape();
      if (!Arrays.equals(fileShape, modelShape)) {
        shapes.add(k + ": file " + Arrays.toString(fileShape) + " vs model "
            + Arrays.toString(modelShape));
        continue;
      }
      toLoad.add(k);
    }
    if (!missing.isEmpty() || !unexpected.isEmpty() || !shapes.isEmpty()) {
      throw new StateDictMismatchException(String.valueOf(source), missing, unexpected, shapes, hint);
    }
    long bytes = 0;
    try (NoGradGuard g = new NoGradGuard()) {
      for (String k : toLoad) {
        // One scope per tensor: peak extra memory is the largest tensor, not the whole file.
        try (PointerScope scope = new PointerScope()) {
          Tensor src = source.read(k);
          bytes += src.nbytes();
          target.get(k).copy_(src);
        }
      }
    }
    LOG.debug("loaded {} tensors ({} bytes) from {}; ignored {} in file, {} in model", toLoad.size(),
        bytes, source, ignoredSource.size(), ignoredTarget.size());
    return new Report(List.copyOf(toLoad), List.copyOf(ignoredSource), List.copyOf(ignoredTarget), bytes);
  }

  /**
   * The parameters then buffers of {@code module} by their hierarchical state-dict names
   * ({@code layers.0.attention.wqkv.weight}). Each value is a new handle sharing the live tensor's
   * storage (writing into it changes the model); the handles belong to the caller's
   * {@code PointerScope}, or to the GC without one.
   */
  public static Map<String, Tensor> stateDict(Module module) {
    NativeRuntime.init();
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (StringTensorDict params = module.named_parameters(true);
        StringTensorDict buffers = module.named_buffers(true)) {
      addAll(out, params);
      addAll(out, buffers);
    }
    return out;
  }

  private static void addAll(Map<String, Tensor> out, StringTensorDict d) {
    for (long i = 0; i < d.size(); i++) {
      StringTensorDictItem it = d.get(i);
      // value() is a reference into the dict's item vector, which dies with the dict: copy it into
      // an owning handle (same TensorImpl, reference-counted) before the dict is freed.
      out.put(it.key().getString(), new Tensor(it.value()));
    }
  }

  /** A glob where {@code *} matches any run of characters, dots included; the rest is literal. */
  private static Pattern glob(String g) {
    return Pattern.compile(Arrays.stream(g.split("\\*", -1)).map(Pattern::quote)
        .collect(Collectors.joining(".*")));
  }
}
