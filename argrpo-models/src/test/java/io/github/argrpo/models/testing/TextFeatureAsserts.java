package io.github.argrpo.models.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;

import io.github.argrpo.core.condition.TextFeatures;

/** Comparisons of text features for the native T5 path's tests. */
public final class TextFeatureAsserts {

  private TextFeatureAsserts() {}

  /** Same mask, and every value within {@code tolerance}. */
  public static void assertClose(TextFeatures actual, TextFeatures expected, float tolerance) {
    assertThat(actual.mask()).isEqualTo(expected.mask());
    float[] x = actual.values();
    float[] y = expected.values();
    assertThat(x).hasSameSizeAs(y);
    for (int i = 0; i < x.length; i++) {
      assertThat(x[i]).as("value %d", i).isCloseTo(y[i], Offset.offset(tolerance));
    }
  }
}
