package io.github.argrpo.rewards.clip;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.rewards.text.ClassNames;

/**
 * Image-text cosine similarity with a CLIP-family model: the engine behind {@link ClipScoreReward} and
 * the HPSv2 reward.
 *
 * <pre>{@code
 * ClipSimilarity sim = new ClipSimilarity(model, tokenizer, ClipPreprocess.openAi(224), classNames, 16);
 * double[] cos = sim.cosines(images, conditions);    // normalize(img) . normalize(txt), per sample
 * }</pre>
 *
 * <p>Texts: {@code "a photo of " + name} for a {@link ClassCondition} (names from {@link ClassNames}), the
 * prompt for a {@link TextCondition}. Normalized text features are cached per text (up to
 * {@value #TEXT_CACHE_SIZE} texts, least recently used evicted): the G samples of a GRPO group share their
 * prompt. Images are encoded in chunks of {@code imageBatchSize}, each inside its own {@code PointerScope}.
 *
 * <p>Does not own the model; thread-safe.
 */
public final class ClipSimilarity {

  /** Texts whose features are kept. */
  public static final int TEXT_CACHE_SIZE = 4096;

  private final ClipModel model;
  private final ClipTokenizer tokenizer;
  private final ClipPreprocess preprocess;
  private final ClassNames classNames;
  private final int imageBatchSize;
  private final Map<String, float[]> textCache = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, float[]> e) {
      return size() > TEXT_CACHE_SIZE;
    }
  };

  /**
   * @param model the model (not owned)
   * @param tokenizer its tokenizer
   * @param preprocess the model's image preprocessing
   * @param classNames names for class conditions, or {@code null} if only text conditions are scored
   * @param imageBatchSize images per forward pass, {@code >= 1}
   */
  public ClipSimilarity(ClipModel model, ClipTokenizer tokenizer, ClipPreprocess preprocess, ClassNames classNames,
      int imageBatchSize) {
    checkArgument(model != null && tokenizer != null && preprocess != null,
        "model, tokenizer and preprocess are required");
    checkArgument(imageBatchSize >= 1, "imageBatchSize must be >= 1, got %s", imageBatchSize);
    checkArgument(preprocess.size() == model.config().imageSize(),
        "preprocessing produces %s px images but the model expects %s", preprocess.size(), model.config().imageSize());
    this.model = model;
    this.tokenizer = tokenizer;
    this.preprocess = preprocess;
    this.classNames = classNames;
    this.imageBatchSize = imageBatchSize;
  }

  /** The text a condition is scored against. */
  public String textFor(Condition c) {
    if (c instanceof ClassCondition cc) {
      if (classNames == null) {
        throw new IllegalArgumentException("a class condition (" + cc.describe() + ") needs class names: "
            + "pass ClassNames.read(<file with one name per line>)");
      }
      return classNames.prompt(cc.label());
    }
    if (c instanceof TextCondition tc) {
      checkArgument(tc.prompt() != null && !tc.prompt().isBlank(), "a text condition needs a non-empty prompt");
      return tc.prompt();
    }
    throw new IllegalArgumentException("unsupported condition " + c);
  }

  /** Cosine of each image with the text of its condition. */
  public double[] cosines(ImageBatch images, List<? extends Condition> conditions) {
    checkArgument(images.count() == conditions.size(),
        "%s images but %s conditions; pass one condition per image", images.count(), conditions.size());
    List<String> texts = new ArrayList<>(conditions.size());
    for (Condition c : conditions) {
      texts.add(textFor(c));
    }
    return cosinesWithTexts(images, texts);
  }

  /** Cosine of each image with {@code texts.get(i)}. */
  public double[] cosinesWithTexts(ImageBatch images, List<String> texts) {
    NativeRuntime.init();
    checkArgument(images.count() == texts.size(), "%s images but %s texts", images.count(), texts.size());
    for (int i = 0; i < texts.size(); i++) {
      checkArgument(texts.get(i) != null && !texts.get(i).isBlank(),
          "text %s is empty; CLIP scores an image against a non-empty text", i);
    }
    Map<String, float[]> txt = textFeatures(texts);
    int d = model.config().embedDim();
    double[] out = new double[images.count()];
    for (int from = 0; from < images.count(); from += imageBatchSize) {
      int to = Math.min(images.count(), from + imageBatchSize);
      try (PointerScope scope = new PointerScope(); ImageBatch chunk = chunk(images, from, to)) {
        float[] img = toArray(ClipScores.normalize(model.encodeImage(preprocess.apply(chunk))));
        for (int i = from; i < to; i++) {
          float[] t = txt.get(texts.get(i));
          double dot = 0;
          for (int k = 0; k < d; k++) {
            dot += img[(i - from) * d + k] * t[k];
          }
          out[i] = dot;
        }
      }
    }
    return out;
  }

  /** Normalized text features of {@code texts}, from the cache or encoded in one batch. */
  Map<String, float[]> textFeatures(List<String> texts) {
    Map<String, float[]> found = new HashMap<>();
    List<String> missing = new ArrayList<>();
    synchronized (textCache) {
      for (String t : texts) {
        float[] f = textCache.get(t);
        if (f != null) {
          found.put(t, f);
        } else if (!found.containsKey(t) && !missing.contains(t)) {
          missing.add(t);
        }
      }
    }
    if (!missing.isEmpty()) {
      int d = model.config().embedDim();
      try (PointerScope scope = new PointerScope()) {
        long[] ids = tokenizer.tokenizeAll(missing);
        float[] all = toArray(ClipScores.normalize(model.encodeText(
            Tensor.create(ids, missing.size(), ClipTokenizer.CONTEXT_LENGTH))));
        synchronized (textCache) {
          for (int i = 0; i < missing.size(); i++) {
            float[] f = Arrays.copyOfRange(all, i * d, (i + 1) * d);
            textCache.put(missing.get(i), f);
            found.put(missing.get(i), f);
          }
        }
      }
    }
    return found;
  }

  private static ImageBatch chunk(ImageBatch images, int from, int to) {
    return images.slice(from, to);
  }

  private static float[] toArray(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }
}
