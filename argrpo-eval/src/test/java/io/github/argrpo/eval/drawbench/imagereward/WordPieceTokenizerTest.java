package io.github.argrpo.eval.drawbench.imagereward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The BERT uncased tokenizer against hand-worked tokenizations and against the reference algorithm
 * (Hugging Face BasicTokenizer + WordpieceTokenizer run by {@code make_wordpiece_cases.py} over
 * {@code test_vocab.txt}, output {@code wordpiece_cases.json}).
 */
class WordPieceTokenizerTest {

  private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "a",
      "red", "cube", ".", "ted", "##dy", "teddy");

  private static WordPieceTokenizer tiny() {
    return WordPieceTokenizer.fromTokens(VOCAB);
  }

  @Test
  void greedyLongestMatchFirst() {
    // the docstring example of WordpieceTokenizer; "teddy" is whole in the vocab, so it wins over ted + ##dy
    assertEquals(List.of("un", "##aff", "##able"), tiny().tokenize("unaffable"));
    assertEquals(List.of("teddy", "ted", "[UNK]"), tiny().tokenize("Teddy TED tedd"));
  }

  @Test
  void basicTokensLowerStripAndSplit() {
    assertEquals(List.of("a", "cafe", ",", "naive", "!", "中", "国"), WordPieceTokenizer.basicTokens("A  Café,NAÏVE!中国"));
    assertEquals(List.of("x", "'", "s"), WordPieceTokenizer.basicTokens("x's"));
  }

  @Test
  void overLongWordIsUnknown() {
    WordPieceTokenizer t = WordPieceTokenizer.fromTokens(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "x", "##x"));
    assertEquals(100, t.tokenize("x".repeat(100)).size());
    assertEquals(List.of("[UNK]"), t.tokenize("x".repeat(101)));
  }

  @Test
  void encodePadsAndTruncates() {
    // "a red cube." -> [CLS]=2 a=7 red=8 cube=9 .=10 [SEP]=3, padded with [PAD]=0 to 8
    WordPieceTokenizer.Encoding e = tiny().encode("a red cube.", 8);
    assertArrayEquals(new long[] {2, 7, 8, 9, 10, 3, 0, 0}, e.ids());
    assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 0, 0}, e.mask());
    // max_length 4 keeps 2 pieces: [CLS] a red [SEP]
    WordPieceTokenizer.Encoding t = tiny().encode("a red cube.", 4);
    assertArrayEquals(new long[] {2, 7, 8, 3}, t.ids());
    assertArrayEquals(new long[] {1, 1, 1, 1}, t.mask());
  }

  @Test
  void matchesTheReferenceAlgorithm() throws Exception {
    WordPieceTokenizer tok = WordPieceTokenizer.load(resource("test_vocab.txt"));
    JsonNode cases;
    try (InputStream in = getClass().getResourceAsStream("wordpiece_cases.json")) {
      cases = new ObjectMapper().readTree(in);
    }
    assertEquals(17, cases.size());
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      assertEquals(strings(c.get("basic")), WordPieceTokenizer.basicTokens(text), "basic tokens of " + text);
      assertEquals(strings(c.get("pieces")), tok.tokenize(text), "pieces of " + text);
      long[] want = new long[c.get("ids35").size()];
      for (int i = 0; i < want.length; i++) {
        want[i] = c.get("ids35").get(i).asLong();
      }
      assertArrayEquals(want, tok.encode(text, 35).ids(), "ids of " + text);
    }
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(n.asText()));
    return out;
  }

  private Path resource(String name) throws URISyntaxException {
    return Path.of(getClass().getResource(name).toURI());
  }
}
