package io.github.argrpo.core.toy;

import static com.google.common.base.Preconditions.checkArgument;

import java.awt.Color;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.tokenizer.Tokenizer;

/**
 * A toy image tokenizer for tests and examples: token {@code v} is a {@code patch x patch} square of
 * palette colour {@code v}; encoding picks the palette colour nearest to each patch's mean. It has the
 * shape of a VQ tokenizer (a codebook, a downsample factor, raster-ordered grids) without weights.
 */
public final class PaletteTokenizer implements Tokenizer {

  private final int colours;
  private final int patch;
  private final Tensor palette;

  /**
   * @param colours codebook size (palette entries, spread around the hue circle at two brightnesses)
   * @param patch pixels per token side
   */
  public PaletteTokenizer(int colours, int patch) {
    this(hueWheel(colours), patch);
  }

  /**
   * @param palette one {@code {r, g, b}} colour per token, components in {@code [0, 1]}
   * @param patch pixels per token side
   */
  public PaletteTokenizer(float[][] palette, int patch) {
    checkArgument(palette.length >= 2 && patch >= 1,
        "PaletteTokenizer needs >= 2 colours and patch >= 1, got %s, %s", palette.length, patch);
    NativeRuntime.init();
    this.colours = palette.length;
    this.patch = patch;
    float[] rgb = new float[colours * 3];
    for (int i = 0; i < colours; i++) {
      checkArgument(palette[i].length == 3, "palette entry %s must have 3 components, got %s", i, palette[i].length);
      System.arraycopy(palette[i], 0, rgb, 3 * i, 3);
    }
    try (PointerScope s = new PointerScope()) {
      Tensor p = Tensor.create(rgb, colours, 3);
      p.retainReference();
      this.palette = p;
    }
  }

  private static float[][] hueWheel(int colours) {
    checkArgument(colours >= 2, "PaletteTokenizer needs colours >= 2, got %s", colours);
    float[][] out = new float[colours][3];
    for (int i = 0; i < colours; i++) {
      Color c = Color.getHSBColor((float) i / colours, 0.85f, i % 2 == 0 ? 0.95f : 0.55f);
      out[i] = new float[] {c.getRed() / 255f, c.getGreen() / 255f, c.getBlue() / 255f};
    }
    return out;
  }

  /** The RGB colour of token {@code v}, components in {@code [0, 1]}. */
  public float[] colour(int v) {
    float[] out = new float[3];
    try (PointerScope s = new PointerScope()) {
      new FloatPointer(palette.get(v).contiguous().data_ptr_float()).get(out);
    }
    return out;
  }

  @Override
  public int codebookSize() {
    return colours;
  }

  @Override
  public int downsampleFactor() {
    return patch;
  }

  @Override
  public ImageBatch decode(Tensor codes) {
    long n = codes.size(0);
    long side = gridSide(codes.size(1));
    try (PointerScope s = new PointerScope()) {
      Tensor img = palette.index_select(0, codes.flatten().to(torch.ScalarType.Long)) // (n*L, 3)
          .view(n, side, side, 3).permute(0, 3, 1, 2)
          .repeat_interleave((long) patch, new LongOptional(2), new LongOptional())
          .repeat_interleave((long) patch, new LongOptional(3), new LongOptional());
      return ImageBatch.wrap(img);
    }
  }

  @Override
  public Tensor encode(ImageBatch images) {
    checkArgument(images.height() == images.width() && images.height() % patch == 0,
        "images must be square with a side divisible by %s, got %sx%s", patch, images.width(), images.height());
    long n = images.count();
    Tensor means = torch.avg_pool2d(images.tensor(), new long[] {patch, patch}); // (n, 3, s, s)
    Tensor flat = means.permute(0, 2, 3, 1).reshape(-1, 3); // (n*s*s, 3)
    Tensor d = torch.cdist(flat, palette); // (n*s*s, colours)
    return d.argmin(new LongOptional(1), false).view(n, -1);
  }

  private static long gridSide(long tokens) {
    long side = Math.round(Math.sqrt(tokens));
    checkArgument(side * side == tokens, "codes must describe a square grid; %s tokens is not a square", tokens);
    return side;
  }

  @Override
  public void close() {
    palette.releaseReference();
  }
}
