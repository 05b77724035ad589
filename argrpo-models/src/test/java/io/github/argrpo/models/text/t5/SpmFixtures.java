package io.github.argrpo.models.text.t5;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The reference models and expected encodings under {@code src/test/resources/t5}, made with the
 * real SentencePiece by {@code make_spm_fixture.py}.
 */
final class SpmFixtures {

  /** nmt_nfkc normalizer, T5's id layout (pad 0, eos 1, unk 2). */
  static final String NFKC_T5IDS = "nfkc_t5ids";
  /** Small custom rule, user-defined symbols "<sep>", "[MASK]", "foo", "ﬁ". */
  static final String USER_DEFINED = "user_defined";
  /** Small custom rule, byte fallback. */
  static final String BYTE_FALLBACK = "byte_fallback";

  private SpmFixtures() {}

  /** Copies model {@code name} from the classpath into {@code dir} (un-gzipping it) and returns its path. */
  static Path modelFile(String name, Path dir) {
    try {
      Path out = dir.resolve(name + ".model");
      if (Files.exists(out)) {
        return out;
      }
      InputStream plain = SpmFixtures.class.getResourceAsStream("/t5/" + name + ".model");
      try (InputStream in = plain != null ? plain
          : new GZIPInputStream(SpmFixtures.class.getResourceAsStream("/t5/" + name + ".model.gz"))) {
        Files.copy(in, out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SentencePieceTokenizer tokenizer(String name, Path dir) {
    try {
      return SentencePieceTokenizer.open(modelFile(name, dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] modelBytes(String name, Path dir) {
    try {
      return Files.readAllBytes(modelFile(name, dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** expected.json: {"models": {name: {"cases": [...]}}}. */
  static JsonNode expected() {
    try (InputStream in = SpmFixtures.class.getResourceAsStream("/t5/expected.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
