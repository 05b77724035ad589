package io.github.argrpo.rewards.pixel;

import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;

/** Hand-made test images as {@link ImageBatch}es (values in [0, 1]). */
final class TestImages {

  private TestImages() {}

  /** One image of constant colour. */
  static ImageBatch solid(int h, int w, double r, double g, double b) {
    float[] d = new float[3 * h * w];
    int plane = h * w;
    for (int k = 0; k < plane; k++) {
      d[k] = (float) r;
      d[plane + k] = (float) g;
      d[2 * plane + k] = (float) b;
    }
    return ImageBatch.fromArray(d, 1, h, w);
  }

  /** A grey one-pixel checkerboard of 0 and 1. */
  static ImageBatch checkerboard(int h, int w) {
    float[] d = new float[3 * h * w];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          d[c * h * w + y * w + x] = (x + y) % 2 == 0 ? 1f : 0f;
        }
      }
    }
    return ImageBatch.fromArray(d, 1, h, w);
  }

  /** A grey horizontal ramp from 0 to 1. */
  static ImageBatch ramp(int h, int w) {
    float[] d = new float[3 * h * w];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          d[c * h * w + y * w + x] = (float) x / (w - 1);
        }
      }
    }
    return ImageBatch.fromArray(d, 1, h, w);
  }

  /** Uniform RGB noise from a seeded generator. */
  static ImageBatch noise(int h, int w, long seed) {
    Random rnd = new Random(seed);
    float[] d = new float[3 * h * w];
    for (int k = 0; k < d.length; k++) {
      d[k] = rnd.nextFloat();
    }
    return ImageBatch.fromArray(d, 1, h, w);
  }

  /** Left half one colour, right half another. */
  static ImageBatch halves(int h, int w, double[] left, double[] right) {
    float[] d = new float[3 * h * w];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          d[c * h * w + y * w + x] = (float) (x < w / 2 ? left[c] : right[c]);
        }
      }
    }
    return ImageBatch.fromArray(d, 1, h, w);
  }

  /** Concatenates single-image batches into one batch (closes nothing). */
  static ImageBatch concat(ImageBatch... batches) {
    int h = batches[0].height();
    int w = batches[0].width();
    int per = 3 * h * w;
    float[] d = new float[batches.length * per];
    for (int i = 0; i < batches.length; i++) {
      System.arraycopy(batches[i].pixels(0), 0, d, i * per, per);
    }
    return ImageBatch.fromArray(d, batches.length, h, w);
  }

  /** {@code n} class conditions. */
  static List<Condition> conditions(int n) {
    return Collections.nCopies(n, Condition.ofClass(0));
  }
}
