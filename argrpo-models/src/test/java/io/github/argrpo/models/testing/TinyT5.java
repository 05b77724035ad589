package io.github.argrpo.models.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.models.text.t5.T5Config;
import io.github.argrpo.models.text.t5.T5Encoder;
import io.github.argrpo.models.text.t5.T5Tokenizer;

/**
 * A tiny FLAN-T5-shaped model folder for end-to-end tests: {@code spiece.model} (a real SentencePiece
 * unigram model with T5's id layout, trained by {@code t5/make_spm_fixture.py}), {@code config.json}
 * and {@code model.safetensors} with random gated-gelu weights whose embedding covers the tokenizer's
 * ids plus sentinels.
 */
public final class TinyT5 {

  private TinyT5() {}

  /** Writes the folder {@code dir} (created if needed) with an encoder of width {@code dModel}; returns it. */
  public static Path writeFolder(Path dir, int dModel, long seed) throws IOException {
    Files.createDirectories(dir);
    Path spiece = dir.resolve("spiece.model");
    try (InputStream in = new GZIPInputStream(TinyT5.class.getResourceAsStream("/t5/nfkc_t5ids.model.gz"))) {
      Files.copy(in, spiece, StandardCopyOption.REPLACE_EXISTING);
    }
    int vocab = T5Tokenizer.open(spiece).vocabSize();
    // vocab rounded up as FLAN-T5's 32,128 rows over 32,100 ids; 2 heads of 4 (or wider), 2 layers
    T5Config config = new T5Config(vocab + 28, dModel, 4, Math.max(1, dModel / 4), 2, 2 * dModel,
        T5Config.FeedForwardProj.GATED_GELU, 1e-6, 32, 128);
    torch.manual_seed(seed);
    T5Encoder encoder = T5Encoder.create(config, ScalarType.Float);
    try {
      encoder.save(dir);
    } finally {
      encoder.close();
    }
    return dir;
  }
}
