package io.github.argrpo.rewards.clip;

import static com.google.common.base.Preconditions.checkArgument;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * CLIP's image tower, a pre-LN ViT: stride-p patch convolution without bias ({@code conv1}), class
 * token ({@code class_embedding}) prepended, learned {@code positional_embedding}, {@code ln_pre}, the
 * transformer, {@code ln_post} on the class token only, then {@code proj} {@code [W, D]} (a matrix, no bias).
 */
final class VisionTransformer extends Module {

  private final Tensor conv1;
  private final Tensor classEmbedding;
  private final Tensor positionalEmbedding;
  private final ClipLayerNorm lnPre;
  private final ClipTransformer transformer;
  private final ClipLayerNorm lnPost;
  private final Tensor proj;
  private final long width;
  private final long patch;
  private final long imageSize;
  /** Kept reachable: a Java-side Module peer that is collected breaks libtorch's callbacks into it. */
  private final Module conv;

  VisionTransformer(ClipConfig c, ScalarType dtype) {
    width = c.visionWidth();
    patch = c.patchSize();
    imageSize = c.imageSize();
    conv = register_module("conv1", new Module());
    conv1 = ClipParams.normal(conv, "weight", dtype, width, 3, patch, patch);
    classEmbedding = ClipParams.normal(this, "class_embedding", dtype, width);
    positionalEmbedding = ClipParams.normal(this, "positional_embedding", dtype, c.visionTokens(), width);
    lnPre = register_module("ln_pre", new ClipLayerNorm(width, c.layerNormEps(), dtype));
    transformer = register_module("transformer",
        new ClipTransformer(width, c.visionLayers(), c.visionHeads(), c, dtype));
    lnPost = register_module("ln_post", new ClipLayerNorm(width, c.layerNormEps(), dtype));
    proj = ClipParams.normal(this, "proj", dtype, width, c.embedDim());
  }

  /** {@code pixels}: normalized {@code [B, 3, S, S]} in the module dtype; returns {@code [B, D]}. */
  Tensor forward(Tensor pixels) {
    long b = pixels.size(0);
    checkArgument(pixels.size(2) == imageSize && pixels.size(3) == imageSize,
        "the image tower expects %sx%s pixels, got %sx%s", imageSize, imageSize, pixels.size(3), pixels.size(2));
    Tensor x = Bf16Gemm.patchConv(pixels, conv1, patch);
    x = x.reshape(b, width, -1).transpose(1, 2);
    Tensor cls = classEmbedding.reshape(1, 1, width).expand(b, 1, width);
    x = torch.cat(new TensorVector(cls, x), 1).add(positionalEmbedding);
    x = transformer.forward(lnPre.forward(x), false);
    Tensor pooled = lnPost.forward(x.select(1, 0));
    return Bf16Gemm.matmul(pooled, proj);
  }
}
