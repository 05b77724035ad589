package io.github.argrpo.rewards.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.core.text.HtmlEntities;

/**
 * {@link ClipTokenizer} against the reference ids of {@code clip.tokenize}: the case file is system property
 * {@code argrpo.clip.tokenizer.cases} (default the shared fixture), the vocabulary
 * {@code argrpo.clip.tokenizer.vocab} (default {@code bpe_simple_vocab_16e6.txt.gz} beside the case file).
 */
class ClipTokenizerTest {

  private static ClipTokenizer tokenizer;
  private static Path vocab;

  @BeforeAll
  static void load() {
    vocab = vocabFile();
    tokenizer = ClipTokenizer.fromBpeVocab(vocab);
  }

  static Path vocabFile() {
    String prop = System.getProperty("argrpo.clip.tokenizer.vocab");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    Path beside = Fixtures.clipTokenizerCases().resolveSibling("bpe_simple_vocab_16e6.txt.gz");
    return Files.exists(beside) ? beside : Fixtures.sharedDir().resolve("fixtures/clip-tokenizer/bpe_simple_vocab_16e6.txt.gz");
  }

  record Case(String text, int[] ids, long[] context77) {}

  static List<Case> cases() throws IOException {
    JsonNode root = new ObjectMapper().readTree(Fixtures.clipTokenizerCases().toFile());
    List<Case> out = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      int[] ids = new int[c.get("ids").size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = c.get("ids").get(i).intValue();
      }
      long[] ctx = new long[c.get("context77").size()];
      for (int i = 0; i < ctx.length; i++) {
        ctx[i] = c.get("context77").get(i).longValue();
      }
      out.add(new Case(c.get("text").asText(), ids, ctx));
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> matchesReferenceIds() throws IOException {
    List<Case> cases = cases();
    assertThat(cases).isNotEmpty();
    return cases.stream().map(c -> DynamicTest.dynamicTest(display(c.text()), () -> {
      assertThat(tokenizer.encodeWithSpecials(c.text())).as("ids of %s", c.text()).containsExactly(c.ids());
      assertThat(tokenizer.tokenize(c.text())).as("context of %s", c.text()).containsExactly(c.context77());
    }));
  }

  /** Hugging Face files written from the same vocabulary give the same ids (with OpenAI cleaning). */
  @Test
  void huggingFaceFilesGiveTheSameIds(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (var in = new GZIPInputStream(Files.newInputStream(vocab));
        var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String l; (l = r.readLine()) != null; ) {
        lines.add(l);
      }
    }
    List<String> merges = lines.subList(1, 49152 - 256 - 2 + 1);
    Map<String, Integer> vocabMap = new LinkedHashMap<>();
    for (int i = 0; i < 256; i++) {
      vocabMap.put(String.valueOf(ByteLevelAlphabet.vocabSymbol(i)), i);
    }
    for (int i = 0; i < 256; i++) {
      vocabMap.put(ByteLevelAlphabet.vocabSymbol(i) + "</w>", 256 + i);
    }
    for (int i = 0; i < merges.size(); i++) {
      vocabMap.put(merges.get(i).replace(" ", ""), 512 + i);
    }
    vocabMap.put("<|startoftext|>", 49406);
    vocabMap.put("<|endoftext|>", 49407);
    Path vj = dir.resolve("vocab.json");
    Path mt = dir.resolve("merges.txt");
    new ObjectMapper().writeValue(vj.toFile(), vocabMap);
    try (Writer w = Files.newBufferedWriter(mt, StandardCharsets.UTF_8)) {
      w.write("#version: 0.2\n");
      for (String m : merges) {
        w.write(m + "\n");
      }
    }
    ClipTokenizer hf = ClipTokenizer.fromHuggingFace(vj, mt);
    assertThat(hf.cleaning()).isEqualTo(ClipTextCleaning.HUGGING_FACE);
    assertThat(hf.vocabSize()).isEqualTo(49408);
    ClipTokenizer hfOpenAi = hf.withCleaning(ClipTextCleaning.OPENAI);
    for (Case c : cases()) {
      assertThat(hfOpenAi.encodeWithSpecials(c.text())).as(c.text()).containsExactly(c.ids());
    }
    // Hugging Face's normalizer keeps HTML entities: "&amp;" stays three symbols.
    assertThat(hf.encode("rock &amp; roll")).isNotEqualTo(tokenizer.encode("rock &amp; roll"));
    assertThat(hf.encode("rock & roll")).containsExactly(tokenizer.encode("rock &amp; roll"));
  }

  @Test
  void vocabularyHasClipSize() {
    assertThat(tokenizer.vocabSize()).isEqualTo(49408);
    assertThat(tokenizer.encode("")).isEmpty();
    assertThat(tokenizer.encodeWithSpecials("")).containsExactly(49406, 49407);
  }

  @Test
  void cleaningUnescapesHtmlTwiceAndCollapsesPythonWhitespace() {
    assertThat(ClipTextCleaning.OPENAI.clean("  Rock &amp;amp; ROLL\t\u00a0x\u001c ")).isEqualTo("rock & roll x");
    assertThat(ClipTextCleaning.HUGGING_FACE.clean("Rock &amp; Roll")).isEqualTo("rock &amp; roll");
    assertThat(HtmlEntities.unescape("&lt;&#65;&#x42;&ampx &notit; &bogus; &#128; &#0; &#xD800; &#1;"))
        .isEqualTo("<AB&x \u00acit; &bogus; \u20ac \ufffd \ufffd ");
    assertThat(HtmlEntities.unescape("&#99999999999999999999;")).isEqualTo("\ufffd");
  }

  @Test
  void specialTokensInTextMapToTheirIds() {
    assertThat(tokenizer.encode("<|endoftext|> a")).startsWith(49407);
  }

  @Test
  void contextIsAlways77WithEndTokenWhereTheTextEndsOrLast() {
    qt().withExamples(60).forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 300), integers().between(1, 3))
        .checkAssert((s, rep) -> {
          String text = s.repeat(rep);
          int[] ids = tokenizer.encodeWithSpecials(text);
          long[] ctx = tokenizer.tokenize(text);
          assertThat(ctx).hasSize(77);
          assertThat(ctx[0]).isEqualTo(49406);
          int eot = Math.min(ids.length, 77) - 1;
          assertThat(ctx[eot]).isEqualTo(49407);
          for (int i = 1; i < eot; i++) {
            assertThat(ctx[i]).isEqualTo(ids[i]).isLessThan(49406);
          }
          for (int i = eot + 1; i < 77; i++) {
            assertThat(ctx[i]).isZero();
          }
        });
  }

  @Test
  void rejectsFilesThatAreNotClipVocabularies(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("short.txt");
    Files.writeString(bad, "#version\na b\n");
    assertThatThrownBy(() -> ClipTokenizer.fromBpeVocab(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("48894 merges").hasMessageContaining("got 2");
  }

  private static String display(String text) {
    String t = text.replaceAll("\\p{Cntrl}", " ");
    return t.length() <= 70 ? "'" + t + "'" : "'" + t.substring(0, 67) + "...'";
  }
}
