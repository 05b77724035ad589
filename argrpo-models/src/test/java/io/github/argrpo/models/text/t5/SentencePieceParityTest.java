package io.github.argrpo.models.text.t5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with the real SentencePiece 0.1.97: every fixture string of every reference model must
 * give exactly the ids, pieces, normalized text and decoded text the C++ library gave.
 */
class SentencePieceParityTest {

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {SpmFixtures.NFKC_T5IDS, SpmFixtures.USER_DEFINED, SpmFixtures.BYTE_FALLBACK})
  void idsPiecesAndNormalizationEqualSentencePiece(String model) {
    SentencePieceTokenizer sp = SpmFixtures.tokenizer(model, dir);
    // spm_normalize builds its Normalizer from the spec alone, without the model's user-defined
    // symbols (which encoding copies unnormalized), so its reference is compared with the same.
    Normalizer specOnly = new Normalizer(sp.model().normalizerSpec(),
        sp.model().treatWhitespaceAsSuffix(), null);
    JsonNode cases = SpmFixtures.expected().path("models").path(model).path("cases");
    assertThat(cases.size()).as("fixture cases for %s", model).isGreaterThan(50);
    List<String> mismatches = new ArrayList<>();
    for (JsonNode c : cases) {
      byte[] input = c.has("text_hex") ? SpmFixtures.hex(c.get("text_hex").asText())
          : c.get("text").asText().getBytes(StandardCharsets.UTF_8);
      String label = c.has("text_hex") ? "hex " + c.get("text_hex").asText() : "'" + c.get("text").asText() + "'";
      SentencePieceTokenizer.Result r = sp.encodeUtf8(input);
      int[] ids = new int[c.get("ids").size()];
      List<String> pieces = new ArrayList<>();
      for (int i = 0; i < ids.length; i++) {
        ids[i] = c.get("ids").get(i).asInt();
        pieces.add(c.get("pieces").get(i).asText());
      }
      if (!Arrays.equals(ids, r.ids())) {
        mismatches.add(label + ": ids " + Arrays.toString(r.ids()) + " " + r.pieces()
            + ", expected " + Arrays.toString(ids) + " " + pieces);
      } else if (!pieces.equals(r.pieces())) {
        mismatches.add(label + ": pieces " + r.pieces() + ", expected " + pieces);
      }
      if (c.has("decoded") && !c.get("decoded").asText().equals(sp.decode(ids))) {
        mismatches.add(label + ": decoded '" + sp.decode(ids) + "', expected '"
            + c.get("decoded").asText() + "'");
      }
      if (c.has("normalized")) {
        byte[] norm = specOnly.normalize(input);
        String normalized = new String(norm, StandardCharsets.UTF_8);
        if (!c.get("normalized").asText().equals(normalized)) {
          mismatches.add(label + ": normalized '" + normalized + "', expected '"
              + c.get("normalized").asText() + "'");
        }
      }
      if (!sp.model().byteFallback() && !String.join("", pieces).equals(r.normalized())) {
        mismatches.add(label + ": SentencePiece's pieces do not concatenate to our normalized '"
            + r.normalized() + "'");
      }
    }
    assertThat(mismatches).as("differences from SentencePiece for model %s", model).isEmpty();
  }
}
