package io.github.argrpo.models.text.t5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.models.text.t5.T5Config.FeedForwardProj;

/** Reading Hugging Face config.json files, defaults and validation. */
class T5ConfigTest {

  @TempDir Path tmp;

  private Path write(String json) throws IOException {
    Path p = tmp.resolve("config.json");
    Files.writeString(p, json);
    return p;
  }

  @Test
  void readsTheFixtureConfigs() throws IOException {
    T5Config gated = T5Config.fromJson(T5Fixtures.gated().resolve("config.json"));
    assertThat(gated).isEqualTo(T5Config.tiny(FeedForwardProj.GATED_GELU));
    T5Config relu = T5Config.fromJson(T5Fixtures.relu().resolve("config.json"));
    // the relu config has no relative_attention_max_distance: the default 128 applies
    assertThat(relu).isEqualTo(new T5Config(100, 32, 8, 4, 2, 48, FeedForwardProj.RELU, 1e-6, 32, 128));
  }

  @Test
  void flanT5XlMatchesItsConfigJson() throws IOException {
    // the fields of google/flan-t5-xl's config.json that the encoder reads
    T5Config c = T5Config.fromJson(write("{\"d_ff\": 5120, \"d_kv\": 64, \"d_model\": 2048,"
        + " \"feed_forward_proj\": \"gated-gelu\", \"layer_norm_epsilon\": 1e-06, \"model_type\": \"t5\","
        + " \"num_decoder_layers\": 24, \"num_heads\": 32, \"num_layers\": 24,"
        + " \"relative_attention_max_distance\": 128, \"relative_attention_num_buckets\": 32,"
        + " \"tie_word_embeddings\": false, \"vocab_size\": 32128}"));
    assertThat(c).isEqualTo(T5Config.flanT5Xl());
    assertThat(c.innerDim()).isEqualTo(2048);
  }

  @Test
  void missingKeysTakeTransformersDefaults() throws IOException {
    T5Config c = T5Config.fromJson(write("{}"));
    assertThat(c).isEqualTo(new T5Config(32128, 512, 64, 8, 6, 2048, FeedForwardProj.RELU, 1e-6, 32, 128));
  }

  @Test
  void unsupportedFeedForwardIsAClearError() throws IOException {
    Path p = write("{\"feed_forward_proj\": \"gated-silu\"}");
    assertThatThrownBy(() -> T5Config.fromJson(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(p.toString())
        .hasMessageContaining("feed_forward_proj 'gated-silu' is not supported")
        .hasMessageContaining("[relu, gated-gelu]");
  }

  @Test
  void wrongTypesAndValuesNameTheKey() throws IOException {
    Path a = write("{\"d_model\": \"wide\"}");
    assertThatThrownBy(() -> T5Config.fromJson(a)).hasMessageContaining("d_model must be an integer, got \"wide\"");
    Path b = write("{\"num_heads\": 2.5}");
    assertThatThrownBy(() -> T5Config.fromJson(b)).hasMessageContaining("num_heads must be an integer");
    Path c = write("{\"num_layers\": 0}");
    assertThatThrownBy(() -> T5Config.fromJson(c)).hasMessageContaining(c.toString())
        .hasMessageContaining("numLayers must be > 0, got 0");
    Path d = write("{\"feed_forward_proj\": 3}");
    assertThatThrownBy(() -> T5Config.fromJson(d)).hasMessageContaining("feed_forward_proj must be a string");
    Path e = write("{\"relative_attention_num_buckets\": 32, \"relative_attention_max_distance\": 8}");
    assertThatThrownBy(() -> T5Config.fromJson(e)).hasMessageContaining("relativeAttentionMaxDistance must be > 8");
  }

  @Test
  void otherModelTypesAndMalformedFilesAreRejected() throws IOException {
    Path umt5 = write("{\"model_type\": \"umt5\"}");
    assertThatThrownBy(() -> T5Config.fromJson(umt5)).hasMessageContaining("model_type \"umt5\"");
    Path bad = write("{\"d_model\": ");
    assertThatThrownBy(() -> T5Config.fromJson(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
    Path array = write("[1, 2]");
    assertThatThrownBy(() -> T5Config.fromJson(array)).hasMessageContaining("expected a JSON object, got array");
    assertThatThrownBy(() -> T5Config.fromJson(tmp.resolve("absent.json"))).isInstanceOf(IOException.class);
  }

  @Test
  void constructorValidates() {
    assertThatThrownBy(() -> new T5Config(100, 32, 8, 4, 3, 48, null, 1e-6, 32, 128))
        .hasMessageContaining("feedForward must be set");
    assertThatThrownBy(() -> new T5Config(100, 32, 8, 4, 3, 48, FeedForwardProj.RELU, 0, 32, 128))
        .hasMessageContaining("layerNormEpsilon must be > 0");
    assertThatThrownBy(() -> new T5Config(100, 32, 8, 4, 3, 48, FeedForwardProj.RELU, 1e-6, 2, 128))
        .hasMessageContaining("relativeAttentionNumBuckets must be >= 4, got 2");
  }
}
