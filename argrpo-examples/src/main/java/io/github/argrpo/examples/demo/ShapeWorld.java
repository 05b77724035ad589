package io.github.argrpo.examples.demo;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;

import io.github.argrpo.core.toy.PaletteTokenizer;

/**
 * The synthetic image world of the demo: class {@code c} is a coloured shape (one of four shapes in
 * one of four colours, 16 classes) on a black background, drawn on a grid of tokens where each token
 * is a flat colour patch.
 *
 * <p>The pretraining data are imperfect on purpose, like web images: shapes are shifted and resized,
 * some patches take the wrong colour, some background patches are noise, and some images show the
 * wrong shape. A model trained on them by maximum likelihood reproduces that mixture; GRPO with
 * {@link ShapeReward} then pushes it toward the clean canonical picture of each class.
 */
public final class ShapeWorld {

  /** Token ids: the palette. */
  public static final int BLACK = 0;
  /** Number of palette entries (token vocabulary). */
  public static final int COLOURS = 8;
  /** The four shape colours, as token ids. */
  static final int[] SHAPE_COLOURS = {1, 2, 3, 4};
  /** Shape names, index = shape id. */
  public static final String[] SHAPES = {"square", "disc", "cross", "triangle"};
  /** Colour names of the palette. */
  public static final String[] COLOUR_NAMES = {"black", "red", "green", "blue", "yellow", "magenta", "cyan", "white"};

  private static final float[][] PALETTE = {
      {0f, 0f, 0f}, {0.9f, 0.1f, 0.1f}, {0.1f, 0.75f, 0.2f}, {0.15f, 0.3f, 0.95f},
      {0.95f, 0.85f, 0.1f}, {0.85f, 0.2f, 0.8f}, {0.1f, 0.8f, 0.85f}, {0.95f, 0.95f, 0.95f}};

  private final int grid;

  /** @param grid tokens per image side (8 in the demo: 64 tokens per image) */
  public ShapeWorld(int grid) {
    checkArgument(grid >= 6, "grid must be >= 6 to draw the shapes, got %s", grid);
    this.grid = grid;
  }

  /** Tokens per side. */
  public int grid() {
    return grid;
  }

  /** Number of classes (shape x colour). */
  public static int numClasses() {
    return SHAPES.length * SHAPE_COLOURS.length;
  }

  /** Human-readable class name, e.g. "red disc". */
  public static String className(int c) {
    return COLOUR_NAMES[colourOf(c)] + " " + SHAPES[shapeOf(c)];
  }

  /** The shape id of class {@code c}. */
  public static int shapeOf(int c) {
    return c / SHAPE_COLOURS.length;
  }

  /** The colour token of class {@code c}. */
  public static int colourOf(int c) {
    return SHAPE_COLOURS[c % SHAPE_COLOURS.length];
  }

  /** A tokenizer for this world: the palette, {@code patch} pixels per token. */
  public static PaletteTokenizer tokenizer(int patch) {
    return new PaletteTokenizer(PALETTE, patch);
  }

  /** The canonical foreground mask of a shape: centred, radius {@code grid/2 - 1}. */
  public boolean[] canonicalMask(int shape) {
    return mask(shape, (grid - 1) / 2.0, (grid - 1) / 2.0, grid / 2.0 - 1.0);
  }

  /** The clean picture of class {@code c}: its canonical shape in its colour. */
  public int[] canonical(int c) {
    boolean[] m = canonicalMask(shapeOf(c));
    int[] out = new int[grid * grid];
    for (int i = 0; i < out.length; i++) {
      out[i] = m[i] ? colourOf(c) : BLACK;
    }
    return out;
  }

  /** A pretraining image of class {@code c}: a perturbed, sometimes wrong, rendering. */
  public int[] sample(int c, SplittableRandom r) {
    int shape = r.nextDouble() < 0.2 ? r.nextInt(SHAPES.length) : shapeOf(c);
    double centre = (grid - 1) / 2.0;
    double cy = centre + r.nextInt(-1, 2);
    double cx = centre + r.nextInt(-1, 2);
    double radius = grid / 2.0 - 1.0 - r.nextInt(0, 2);
    boolean[] m = mask(shape, cy, cx, radius);
    double wrongColour = r.nextDouble() < 0.5 ? 0.3 : 0.0;
    double noise = r.nextDouble() < 0.5 ? 0.12 : 0.0;
    int[] out = new int[grid * grid];
    for (int i = 0; i < out.length; i++) {
      if (m[i]) {
        out[i] = r.nextDouble() < wrongColour ? 1 + r.nextInt(COLOURS - 1) : colourOf(c);
      } else {
        out[i] = r.nextDouble() < noise ? 1 + r.nextInt(COLOURS - 1) : BLACK;
      }
    }
    return out;
  }

  private boolean[] mask(int shape, double cy, double cx, double radius) {
    boolean[] m = new boolean[grid * grid];
    for (int y = 0; y < grid; y++) {
      for (int x = 0; x < grid; x++) {
        double dy = y - cy;
        double dx = x - cx;
        boolean in = switch (shape) {
          case 0 -> Math.abs(dy) <= radius && Math.abs(dx) <= radius;
          case 1 -> dy * dy + dx * dx <= (radius + 0.3) * (radius + 0.3);
          case 2 -> (Math.abs(dy) <= radius && Math.abs(dx) <= 0.75) || (Math.abs(dx) <= radius && Math.abs(dy) <= 0.75);
          case 3 -> dy <= radius && dy >= -radius && Math.abs(dx) <= (dy + radius) / 2.0 + 0.25;
          default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
        m[y * grid + x] = in;
      }
    }
    return m;
  }
}
