package io.github.argrpo.eval.drawbench.imagereward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.eval.drawbench.DrawbenchScorer;
import io.github.argrpo.eval.drawbench.PixelConversion;
import io.github.argrpo.eval.drawbench.ScorerInfo;
import io.github.argrpo.eval.drawbench.TensorArrays;
import io.github.argrpo.rewards.clip.ClipPreprocess;

/**
 * ImageReward ({@code THUDM/ImageReward}, {@code ImageReward-v1.0}: BLIP ViT-L/16 + BERT with cross-attention
 * + MLP) through a TorchScript export of its {@code score_gard} path without the final normalisation
 * (the one-time script is in {@code docs/evaluation.md}): {@code forward(ids, mask, pixels) -> raw [B]}.
 * This class does the rest natively, as {@code ImageReward.inference_rank} does: images rounded to 8 bits,
 * {@code Resize(224, bicubic)} + {@code CenterCrop(224)} on the PIL image + CLIP mean/std, the prompt
 * through {@link WordPieceTokenizer} ({@code padding='max_length', max_length=35}, truncated), and
 * {@code (raw - }{@value #MEAN}{@code ) / }{@value #STD}.
 *
 * <pre>{@code
 * try (ImageRewardScorer s = ImageRewardScorer.load(Path.of("imagereward_raw.pt"), WordPieceTokenizer.load(vocab))) {
 *   double[] v = s.score(images, prompts);
 * }
 * }</pre>
 *
 * <p>Owns the module until {@link #close()}; CPU only here (the export is traced on the CPU).
 */
public final class ImageRewardScorer implements DrawbenchScorer {

  /** {@code ImageReward.mean}: the raw reward's mean on its training set. */
  public static final double MEAN = 0.16717362830052426;
  /** {@code ImageReward.std}. */
  public static final double STD = 1.0333394966054072;
  /** The tokenizer's {@code max_length} in {@code ImageReward.score}/{@code inference_rank}. */
  public static final int MAX_LENGTH = 35;
  /** {@code BLIP_Pretrain(image_size=224)}. */
  public static final int IMAGE_SIZE = 224;

  private final JitModule module;
  private final Path path;
  private final WordPieceTokenizer tokenizer;
  private final ClipPreprocess preprocess = ClipPreprocess.openAi(IMAGE_SIZE);
  private boolean closed;

  private ImageRewardScorer(JitModule module, Path path, WordPieceTokenizer tokenizer) {
    this.module = module;
    this.path = path;
    this.tokenizer = tokenizer;
  }

  /**
   * Loads the export.
   *
   * @throws IllegalArgumentException if the file is missing, not a TorchScript archive, or libtorch rejects it
   */
  public static ImageRewardScorer load(Path file, WordPieceTokenizer tokenizer) {
    checkArgument(Files.isRegularFile(file),
        "ImageReward TorchScript export not found: %s (make it once with the script in docs/evaluation.md)",
        file.toAbsolutePath());
    byte[] magic = new byte[2];
    try (InputStream in = Files.newInputStream(file)) {
      checkArgument(!(in.readNBytes(magic, 0, 2) < 2) && magic[0] == 'P' && magic[1] == 'K',
          "%s is not a TorchScript archive (a zip); ImageReward.pt itself is a state dict: export it with the "
              + "script in docs/evaluation.md", file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    NativeRuntime.init();
    JitModule m;
    try {
      m = torch.load(file.toAbsolutePath().toString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("libtorch could not load " + file + ": " + e.getMessage(), e);
    }
    m.retainReference(); // an enclosing PointerScope must not free the module
    m.eval();
    return new ImageRewardScorer(m, file, tokenizer);
  }

  @Override
  public ScorerInfo info() {
    return new ScorerInfo("imagereward", "ImageReward-v1.0 (BLIP ViT-L + BERT cross-attention), TorchScript "
        + path.getFileName(), "fp32", PixelConversion.ROUND,
        "(raw - " + MEAN + ") / " + STD + ", BERT uncased max_length " + MAX_LENGTH, 1.0);
  }

  @Override
  public double[] score(ImageBatch images, List<String> prompts) {
    DrawbenchScorer.checkCounts(images, prompts, "imagereward");
    checkState(!closed, "this ImageRewardScorer is closed");
    int b = prompts.size();
    long[] ids = new long[b * MAX_LENGTH];
    long[] mask = new long[b * MAX_LENGTH];
    for (int i = 0; i < b; i++) {
      WordPieceTokenizer.Encoding e = tokenizer.encode(prompts.get(i), MAX_LENGTH);
      System.arraycopy(e.ids(), 0, ids, i * MAX_LENGTH, MAX_LENGTH);
      System.arraycopy(e.mask(), 0, mask, i * MAX_LENGTH, MAX_LENGTH);
    }
    try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard();
        ImageBatch rounded = PixelConversion.ROUND.quantize(images)) {
      Tensor pixels = preprocess.apply(rounded);
      IValue out;
      try {
        out = module.forward(new IValueVector(new IValue(Tensor.create(ids, b, MAX_LENGTH)),
            new IValue(Tensor.create(mask, b, MAX_LENGTH)), new IValue(pixels)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("ImageReward export " + path.getFileName() + " failed on " + b
            + " images: " + e.getMessage(), e);
      }
      checkArgument(out.isTensor(),
          "ImageReward export %s returned %s; expected the raw rewards as a tensor [B]", path.getFileName(),
          out.tagKind().getString());
      float[] raw = TensorArrays.floats(out.toTensor());
      if (raw.length != b) {
        throw new IllegalArgumentException("ImageReward export returned " + raw.length + " values for " + b
            + " images (shape " + Arrays.toString(out.toTensor().sizes().vec().get()) + ")");
      }
      double[] v = new double[b];
      for (int i = 0; i < b; i++) {
        v[i] = (raw[i] - MEAN) / STD;
      }
      return v;
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      module.releaseReference();
    }
  }
}
