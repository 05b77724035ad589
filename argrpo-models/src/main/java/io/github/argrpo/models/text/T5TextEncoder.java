package io.github.argrpo.models.text;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.TextEncoder;
import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.models.text.t5.T5Encoder;
import io.github.argrpo.models.text.t5.T5Tokenizer;

/**
 * The text path of LlamaGen's text-to-image models, natively: caption cleaning, the FLAN-T5
 * tokenizer, the T5 encoder, and LlamaGen's left padding, so a Java process turns any prompt into the
 * {@code 120 x 2048} features the GPT consumes without Python.
 *
 * <p>Per prompt, as LlamaGen's {@code T5Embedder} and AR-GRPO's {@code text_tokenize} do:
 * <ol>
 *   <li>{@link CaptionCleaner#clean} applied {@code cleaningPasses} times (LlamaGen and AR-GRPO: twice);
 *   <li>SentencePiece tokens, then {@code </s>}, truncated to {@code tokens} and right-padded with id 0;
 *   <li>{@code T5EncoderModel(ids, mask).last_hidden_state} in the chosen precision (bf16 in the
 *       reference);
 *   <li>left padding (the default): the {@code n} valid rows (EOS included) move to the last
 *       {@code n} positions, the padding rows become zero, the mask is {@code [false.., true..]}
 *       (LlamaGen's {@code cat([emb[n:], emb[:n]]) * flip(mask)}); or, with {@link TextPadding#RIGHT},
 *       T5's output as AR-GRPO feeds it: valid rows first, mask {@code [true.., false..]}, padding rows
 *       as T5 computed them (see {@link TextPadding}).
 * </ol>
 * The result equals what {@link PrecomputedTextFeatures} stores for the same prompt, so either can
 * feed a run. Prompts are encoded in batches of {@link #batchSize()}, each batch at the length of its
 * longest prompt rather than all 120 positions: padding keys are masked, so a prompt's features
 * depend on its batch mates only in float rounding (1e-5 in fp32), and the work is about 4x less for
 * captions. Right padding runs all positions, since it keeps the padding rows' outputs.
 *
 * <pre>{@code
 * try (T5TextEncoder t5 = T5TextEncoder.open(Path.of("models/flan-t5-xl"), Precision.BF16, DeviceSpec.CPU)) {
 *   TextCondition c = t5.condition("a red bicycle leaning on a wall");
 * }
 * }</pre>
 *
 * <p>Not thread-safe: encode from one thread at a time.
 */
public final class T5TextEncoder implements TextEncoder {

  /** LlamaGen's {@code t5_feature_max_len}: every prompt takes 120 token positions. */
  public static final int LLAMAGEN_TOKENS = 120;

  /** LlamaGen's {@code text_preprocessing} (which AR-GRPO's {@code text_tokenize} calls) runs {@code clean_caption} twice. */
  public static final int AR_GRPO_CLEANING_PASSES = 2;

  private static final Logger LOG = LoggerFactory.getLogger(T5TextEncoder.class);

  private final T5Tokenizer tokenizer;
  private final T5Encoder encoder;
  private final int tokens;
  private final int cleaningPasses;
  private final int batchSize;
  private final TextPadding padding;

  private T5TextEncoder(T5Tokenizer tokenizer, T5Encoder encoder, int tokens, int cleaningPasses, int batchSize,
      TextPadding padding) {
    this.padding = checkNotNull(padding, "padding");
    checkArgument(tokens >= 1, "tokens must be >= 1, got %s", tokens);
    checkArgument(cleaningPasses >= 0, "cleaningPasses must be >= 0, got %s", cleaningPasses);
    checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.tokens = tokens;
    this.cleaningPasses = cleaningPasses;
    this.batchSize = batchSize;
  }

  /**
   * Opens a Hugging Face FLAN-T5 folder ({@code config.json}, the weights as safetensors or
   * {@code pytorch_model.bin}, sharded or not, and {@code spiece.model}) with LlamaGen's settings:
   * 120 tokens, two cleaning passes, batches of 8.
   *
   * @throws IllegalArgumentException naming the missing or malformed file
   * @throws IOException if a file cannot be read
   */
  public static T5TextEncoder open(Path folder, Precision precision, DeviceSpec device) throws IOException {
    return open(folder, precision, device, LLAMAGEN_TOKENS, AR_GRPO_CLEANING_PASSES, 8);
  }

  /**
   * Opens a FLAN-T5 folder with explicit settings.
   *
   * @param tokens token positions per prompt (truncation and padding length)
   * @param cleaningPasses how many times {@link CaptionCleaner#clean} runs (0: prompts are used as given)
   * @param batchSize prompts per encoder call
   */
  public static T5TextEncoder open(Path folder, Precision precision, DeviceSpec device, int tokens, int cleaningPasses,
      int batchSize) throws IOException {
    return open(folder, precision, device, tokens, cleaningPasses, batchSize, TextPadding.LEFT);
  }

  /**
   * Opens a FLAN-T5 folder with LlamaGen's settings and the given caption layout ({@link TextPadding#RIGHT}
   * for AR-GRPO-faithful runs).
   */
  public static T5TextEncoder open(Path folder, Precision precision, DeviceSpec device, TextPadding padding)
      throws IOException {
    return open(folder, precision, device, LLAMAGEN_TOKENS, AR_GRPO_CLEANING_PASSES, 8, padding);
  }

  /**
   * Opens a FLAN-T5 folder with explicit settings.
   *
   * @param tokens token positions per prompt (truncation and padding length)
   * @param cleaningPasses how many times {@link CaptionCleaner#clean} runs (0: prompts are used as given)
   * @param batchSize prompts per encoder call
   * @param padding where the valid tokens go among the {@code tokens} positions
   */
  public static T5TextEncoder open(Path folder, Precision precision, DeviceSpec device, int tokens, int cleaningPasses,
      int batchSize, TextPadding padding) throws IOException {
    checkNotNull(folder, "folder");
    checkArgument(Files.isDirectory(folder),
        "T5 folder %s does not exist (download google/flan-t5-xl: config.json, spiece.model and the model weights)",
        folder);
    NativeRuntime.init();
    T5Tokenizer tok = T5Tokenizer.open(folder);
    // pure bf16 (or fp32), as LlamaGen's and AR-GRPO's transformers versions load T5 with
    // torch_dtype=bfloat16: their _keep_in_fp32_modules ("wo") applies to fp16 only
    T5Encoder enc = T5Encoder.load(folder, precision.scalarType()).toDevice(device);
    try {
      T5TextEncoder t5 = of(tok, enc, tokens, cleaningPasses, batchSize, padding);
      LOG.info("T5 text encoder from {}: {}, {} layers, d_model {}, {} tokens, {} cleaning passes, {} padding", folder,
          precision, enc.config().numLayers(), enc.config().dModel(), tokens, cleaningPasses, padding.key());
      return t5;
    } catch (RuntimeException e) {
      enc.close();
      throw e;
    }
  }

  /** An encoder over an already built tokenizer and model (tests, custom setups); closing it closes the model. */
  public static T5TextEncoder of(T5Tokenizer tokenizer, T5Encoder encoder, int tokens, int cleaningPasses, int batchSize) {
    return of(tokenizer, encoder, tokens, cleaningPasses, batchSize, TextPadding.LEFT);
  }

  /** As {@link #of(T5Tokenizer, T5Encoder, int, int, int)}, with the given caption layout. */
  public static T5TextEncoder of(T5Tokenizer tokenizer, T5Encoder encoder, int tokens, int cleaningPasses, int batchSize,
      TextPadding padding) {
    checkNotNull(tokenizer, "tokenizer");
    checkNotNull(encoder, "encoder");
    // FLAN-T5: 32,100 token ids (32,000 pieces + 100 sentinels) into an embedding of 32,128 rows
    checkArgument(!(tokenizer.vocabSize() > encoder.config().vocabSize()),
        "the tokenizer has %s token ids but the encoder's embedding only %s rows: spiece.model and the weights "
            + "are not of the same T5", tokenizer.vocabSize(), encoder.config().vocabSize());
    return new T5TextEncoder(tokenizer, encoder, tokens, cleaningPasses, batchSize, padding);
  }

  @Override
  public int tokens() {
    return tokens;
  }

  @Override
  public int dim() {
    return encoder.config().dModel();
  }

  /** Where the valid tokens go among the caption positions. */
  public TextPadding padding() {
    return padding;
  }

  /** Prompts per encoder call. */
  public int batchSize() {
    return batchSize;
  }

  /** The text T5 sees for {@code prompt}: the prompt after the cleaning passes. */
  public String cleaned(String prompt) {
    String s = prompt;
    for (int i = 0; i < cleaningPasses; i++) {
      s = CaptionCleaner.clean(s);
    }
    return s;
  }

  @Override
  public TextFeatures encode(String prompt) {
    return encode(List.of(prompt)).get(0);
  }

  @Override
  public List<TextFeatures> encode(List<String> prompts) {
    List<TextFeatures> out = new ArrayList<>(prompts.size());
    for (int start = 0; start < prompts.size(); start += batchSize) {
      out.addAll(encodeBatch(prompts.subList(start, Math.min(prompts.size(), start + batchSize))));
    }
    return out;
  }

  private List<TextFeatures> encodeBatch(List<String> prompts) {
    int b = prompts.size();
    List<T5Tokenizer.Encoding> encodings = new ArrayList<>(b);
    int[] valid = new int[b];
    int longest = 1;
    for (int i = 0; i < b; i++) {
      T5Tokenizer.Encoding e = tokenizer.encode(cleaned(checkNotNull(prompts.get(i), "prompt")), tokens);
      encodings.add(e);
      for (boolean m : e.mask()) {
        valid[i] += m ? 1 : 0;
      }
      longest = Math.max(longest, valid[i]);
    }
    if (padding == TextPadding.RIGHT) {
      // AR-GRPO feeds T5's outputs at the padding positions too: run all of them
      longest = tokens;
    }
    // Only the first `longest` positions are run. The reference runs all 120, but the padding keys
    // are masked (their softmax weight is exactly 0) and the padding outputs are discarded by the
    // left padding, so the valid rows are the same up to float summation order (tested to 1e-5 in
    // fp32); a COCO caption has about 30 tokens, so this is ~4x less work.
    long[] ids = new long[b * longest];
    long[] mask = new long[b * longest];
    for (int i = 0; i < b; i++) {
      for (int k = 0; k < longest; k++) {
        ids[i * longest + k] = encodings.get(i).ids()[k];
        mask[i * longest + k] = encodings.get(i).mask()[k] ? 1 : 0;
      }
    }
    int dim = dim();
    float[] hidden = new float[b * longest * dim];
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Tensor h = encoder.forward(Tensor.create(ids, b, longest), Tensor.create(mask, b, longest))
          .to(ScalarType.Float).cpu().contiguous();
      new FloatPointer(h.data_ptr_float()).get(hidden);
    }
    List<TextFeatures> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      out.add(padding.arrange(hidden, i * longest * dim, longest, tokens, dim, valid[i]));
    }
    return out;
  }

  /** Releases the encoder's weights. */
  @Override
  public void close() {
    encoder.close();
  }
}
