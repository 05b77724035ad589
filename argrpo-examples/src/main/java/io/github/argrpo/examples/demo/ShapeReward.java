package io.github.argrpo.examples.demo;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.toy.PaletteTokenizer;

/**
 * The demo's programmatic reward, whose optimum is visible in the pictures: each image is read back
 * into patches (the nearest palette colour per patch), then
 *
 * <ul>
 *   <li>{@code shape}: intersection over union of the non-black patches with the class's canonical shape;
 *   <li>{@code colour}: fraction of the non-black patches that have the class colour;
 *   <li>{@code clean}: fraction of the background that is black (no noise).
 * </ul>
 *
 * The score is their mean, in {@code [0, 1]}; 1 is exactly the clean canonical picture.
 */
public final class ShapeReward implements RewardFunction {

  private final ShapeWorld world;
  private final PaletteTokenizer reader;

  /** @param world the world; @param reader the world's tokenizer, used to read images back into patches */
  public ShapeReward(ShapeWorld world, PaletteTokenizer reader) {
    this.world = world;
    this.reader = reader;
  }

  @Override
  public String name() {
    return "shape_world";
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardFunction.checkCounts(images, conditions, name());
    int n = images.count();
    int cells = world.grid() * world.grid();
    checkArgument(images.height() == world.grid() * reader.downsampleFactor(),
        "shape_world: images must be %s px, got %s", world.grid() * reader.downsampleFactor(), images.height());
    long[] patches = new long[n * cells];
    try (PointerScope s = new PointerScope()) {
      Tensor codes = reader.encode(images).contiguous();
      new LongPointer(codes.data_ptr_long()).get(patches);
    }
    double[] shape = new double[n];
    double[] colour = new double[n];
    double[] clean = new double[n];
    double[] total = new double[n];
    for (int i = 0; i < n; i++) {
      if (!(conditions.get(i) instanceof ClassCondition cc) || cc.label() >= ShapeWorld.numClasses()) {
        throw new IllegalArgumentException("shape_world scores classes 0.." + (ShapeWorld.numClasses() - 1)
            + ", got " + conditions.get(i).describe());
      }
      boolean[] ideal = world.canonicalMask(ShapeWorld.shapeOf(cc.label()));
      int target = ShapeWorld.colourOf(cc.label());
      int inter = 0;
      int union = 0;
      int fg = 0;
      int right = 0;
      int bg = 0;
      int bgBlack = 0;
      for (int k = 0; k < cells; k++) {
        long t = patches[i * cells + k];
        boolean on = t != ShapeWorld.BLACK;
        inter += on && ideal[k] ? 1 : 0;
        union += on || ideal[k] ? 1 : 0;
        fg += on ? 1 : 0;
        right += t == target ? 1 : 0;
        if (!ideal[k]) {
          bg++;
          bgBlack += on ? 0 : 1;
        }
      }
      shape[i] = union == 0 ? 0 : (double) inter / union;
      colour[i] = fg == 0 ? 0 : (double) right / fg;
      clean[i] = bg == 0 ? 1 : (double) bgBlack / bg;
      total[i] = (shape[i] + colour[i] + clean[i]) / 3.0;
    }
    Map<String, double[]> comps = new LinkedHashMap<>();
    comps.put("shape", shape);
    comps.put("colour", colour);
    comps.put("clean", clean);
    return new RewardResult(total, comps);
  }
}
