package io.github.argrpo.models.vq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import java.util.Random;

import org.assertj.core.data.Offset;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

import io.github.argrpo.core.runtime.NativeRuntime;

/** The codebook search picks the nearest L2-normalised entry, breaks ties low, and looks entries up normalised. */
class VectorQuantizerTest {

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  private static VqConfig config(int n, int d) {
    return VqConfig.builder().channels(32).channelMultipliers(List.of(1)).zChannels(32)
        .codebookSize(n).codebookEmbedDim(d).build();
  }

  @Test
  void picksTheEntryWithTheHighestCosineSimilarity() {
    qt().withExamples(40).forAll(integers().between(1, 48), integers().between(1, 12), integers().between(1, 3),
        SourceDSL.longs().all()).checkAssert((n, d, grid, seed) -> {
          Random r = new Random(seed);
          float[] book = gaussian(r, n * d);
          int cells = 2 * grid * grid;
          // latents at wildly different scales: the search is on directions only
          float[] lat = gaussian(r, cells * d);
          for (int i = 0; i < lat.length; i++) {
            lat[i] *= (float) Math.pow(10, (i / d) % 5 - 2);
          }
          VectorQuantizer q = new VectorQuantizer(config(n, d));
          try (PointerScope ignored = new PointerScope()) {
            setCodebook(q, book, n, d);
            // latents given as (B=2, D, g, g): element (b, c, y, x) = lat[((b*g+y)*g+x)*d + c]
            Tensor z = Tensor.create(lat, 2, grid, grid, d).permute(0, 3, 1, 2).contiguous();
            VqEncoding enc = q.quantize(z);
            long[] codes = codesOf(enc.codes());
            assertThat(enc.codes().sizes().vec().get()).containsExactly(2, (long) grid * grid);
            float[] quant = floats(enc.quant().permute(0, 2, 3, 1).contiguous());
            for (int cell = 0; cell < cells; cell++) {
              double best = Double.NEGATIVE_INFINITY;
              for (int k = 0; k < n; k++) {
                best = Math.max(best, cosine(lat, cell * d, book, k * d, d));
              }
              int chosen = (int) codes[cell];
              assertThat(chosen).isBetween(0, n - 1);
              assertThat(cosine(lat, cell * d, book, chosen * d, d)).as("cell %s", cell).isGreaterThanOrEqualTo(
                  best - 1e-5);
              double norm = norm(book, chosen * d, d);
              for (int c = 0; c < d; c++) {
                assertThat((double) quant[cell * d + c]).isCloseTo(book[chosen * d + c] / norm,
                    Offset.offset(1e-5));
              }
            }
          } finally {
            q.close();
          }
        });
  }

  @Test
  void tiesGoToTheLowestIndexAndUnnormalisedDuplicatesTie() {
    // rows 1 and 3 point the same way at different lengths: after L2 normalisation they are the same entry
    float[] book = {1, 0, 0, 2, 0, 1, 0, 6};
    VectorQuantizer q = new VectorQuantizer(config(4, 2));
    try (PointerScope ignored = new PointerScope()) {
      setCodebook(q, book, 4, 2);
      Tensor z = Tensor.create(new float[] {0f, 0.5f, 3f, 0.1f}, 1, 2, 1, 2); // cells (0, 3) and (0.5, 0.1)
      long[] codes = codesOf(q.quantize(z).codes());
      assertThat(codes).containsExactly(1, 0);
    } finally {
      q.close();
    }
  }

  @Test
  void withoutL2NormTheSearchIsEuclideanOnRawVectors() {
    // cell (0, 5): Euclidean picks the raw row (0, 6) [index 3]; by direction rows 1 and 3 tie and index 1
    // would win. Cell (0.9, 0.1) -> row (1, 0) [index 0].
    float[] book = {1, 0, 0, 2, 0, 1, 0, 6};
    VqConfig c = config(4, 2).toBuilder().codebookL2Norm(false).build();
    VectorQuantizer q = new VectorQuantizer(c);
    try (PointerScope ignored = new PointerScope()) {
      setCodebook(q, book, 4, 2);
      VqEncoding enc = q.quantize(Tensor.create(new float[] {0f, 0.9f, 5f, 0.1f}, 1, 2, 1, 2));
      assertThat(codesOf(enc.codes())).containsExactly(3, 0);
      // un-normalised lookup: the raw rows
      assertThat(floats(q.lookup(Tensor.create(new long[] {3}, 1, 1), 1, 1))).containsExactly(0f, 6f);
    } finally {
      q.close();
    }
  }

  @Test
  void lookupReturnsNormalisedRowsChannelFirst() {
    float[] book = {3, 4, 0, -2, 1, 1};
    VectorQuantizer q = new VectorQuantizer(config(3, 2));
    try (PointerScope ignored = new PointerScope()) {
      setCodebook(q, book, 3, 2);
      Tensor codes = Tensor.create(new long[] {0, 1, 2, 0}, 1, 4);
      Tensor e = q.lookup(codes, 2, 2);
      assertThat(e.sizes().vec().get()).containsExactly(1, 2, 2, 2);
      float[] v = floats(e);
      // channel 0 over the 2x2 grid, then channel 1
      float s = (float) Math.sqrt(2);
      assertThat(v).containsExactly(new float[] {0.6f, 0f, 1 / s, 0.6f, 0.8f, -1f, 1 / s, 0.8f},
          Offset.offset(1e-6f));
    } finally {
      q.close();
    }
  }

  static void setCodebook(VectorQuantizer q, float[] book, int n, int d) {
    try (NoGradGuard g = new NoGradGuard()) {
      q.codebook().copy_(Tensor.create(book, n, d));
    }
  }

  private static float[] gaussian(Random r, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }

  private static double cosine(float[] a, int ao, float[] b, int bo, int d) {
    double dot = 0;
    for (int i = 0; i < d; i++) {
      dot += (double) a[ao + i] * b[bo + i];
    }
    return dot / Math.max(norm(a, ao, d), 1e-12) / Math.max(norm(b, bo, d), 1e-12);
  }

  private static double norm(float[] a, int o, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) {
      s += (double) a[o + i] * a[o + i];
    }
    return Math.sqrt(s);
  }

  static long[] codesOf(Tensor t) {
    Tensor c = t.contiguous();
    long[] out = new long[(int) c.numel()];
    new LongPointer(c.data_ptr_long()).get(out);
    return out;
  }

  static float[] floats(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }
}
