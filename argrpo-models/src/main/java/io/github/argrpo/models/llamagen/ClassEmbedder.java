package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.EmbeddingImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The c2i condition embedding (the reference's {@code LabelEmbedder}): a class table with
 * {@code num_classes + 1} rows when condition dropout is on, the last row being the null class used
 * as the unconditional branch of CFG.
 *
 * <p>In train mode each label is replaced by the null class with probability
 * {@code class_dropout_prob} (the reference's {@code token_drop}), so the model also learns the
 * unconditional distribution. State-dict key: {@code embedding_table.weight}. Build outside any
 * {@code PointerScope}.
 */
public final class ClassEmbedder extends Module {

  private final EmbeddingImpl table;
  private final Tensor weight;
  private final int numClasses;
  private final double dropoutProb;

  /** A table for {@code numClasses} classes (plus the null class when {@code dropoutProb > 0}). */
  public ClassEmbedder(int numClasses, int dim, double dropoutProb) {
    this.numClasses = numClasses;
    this.dropoutProb = dropoutProb;
    this.table = register_module("embedding_table", new EmbeddingImpl(numClasses + (dropoutProb > 0 ? 1 : 0), dim));
    this.weight = new Tensor(table.weight());
  }

  /**
   * {@code (B,)} int64 labels to {@code (B, 1, dim)} embeddings; in train mode with dropout, labels are
   * dropped to the null class at random (libtorch's default generator).
   */
  public Tensor forward(Tensor labels) {
    Tensor l = labels;
    if (is_training() && dropoutProb > 0) {
      Tensor drop = torch.rand(new long[] {labels.size(0)},
          new TensorOptions(ScalarType.Float).device(new DeviceOptional(labels.device()))).lt(new Scalar(dropoutProb));
      l = labels.masked_fill(drop, new Scalar(numClasses));
    }
    return torch.embedding(weight, l).unsqueeze(1);
  }

  /** The null-class label {@code num_classes}, or -1 if the table has no null row. */
  public int nullClass() {
    return dropoutProb > 0 ? numClasses : -1;
  }
}
