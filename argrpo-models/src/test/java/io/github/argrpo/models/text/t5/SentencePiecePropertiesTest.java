package io.github.argrpo.models.text.t5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Properties that hold for any input: encoding never throws, ids stay in the vocabulary, the
 * segmentation covers the normalized text exactly, and T5 encodings have the fixed shape.
 */
class SentencePiecePropertiesTest {

  @TempDir
  static Path dir;

  private static SentencePieceTokenizer nfkc;
  private static SentencePieceTokenizer userDefined;
  private static SentencePieceTokenizer byteFallback;
  private static T5Tokenizer t5;

  @BeforeAll
  static void open() throws Exception {
    nfkc = SpmFixtures.tokenizer(SpmFixtures.NFKC_T5IDS, dir);
    userDefined = SpmFixtures.tokenizer(SpmFixtures.USER_DEFINED, dir);
    byteFallback = SpmFixtures.tokenizer(SpmFixtures.BYTE_FALLBACK, dir);
    t5 = T5Tokenizer.open(SpmFixtures.modelFile(SpmFixtures.NFKC_T5IDS, dir));
  }

  @Test
  void anyUnicodeStringSegmentsItsNormalizedText() {
    qt().withExamples(400).forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(text -> {
      for (SentencePieceTokenizer sp : List.of(nfkc, userDefined)) {
        SentencePieceTokenizer.Result r = sp.encodeUtf8(Utf8.encode(text));
        assertThat(String.join("", r.pieces())).isEqualTo(r.normalized());
        assertThat(r.normalized()).isEqualTo(sp.normalize(text));
        assertInVocabulary(sp, r.ids());
      }
      assertInVocabulary(byteFallback, byteFallback.encode(text));
    });
  }

  @Test
  void trickyAlphabetStringsSegmentTheirNormalizedText() {
    String[] alphabet = {"a", "b", "x", " ", " ", "  ", "\t", "\u00a0", "\u3000", "\u2581", "\u200b",
        "\u0301", "ﬁ", "ﬃ", "Ａ", "①", "½", "東", "😀", "ᚠ", "ꙮ", "<sep>", "foo", "\ufffd",
        "\ud800", "<extra_id_5>", "</s>"};
    qt().withExamples(400)
        .forAll(lists().of(integers().between(0, alphabet.length - 1)).ofSizeBetween(0, 30))
        .checkAssert(picks -> {
          StringBuilder sb = new StringBuilder();
          picks.forEach(i -> sb.append(alphabet[i]));
          String text = sb.toString();
          for (SentencePieceTokenizer sp : List.of(nfkc, userDefined)) {
            SentencePieceTokenizer.Result r = sp.encodeUtf8(Utf8.encode(text));
            assertThat(String.join("", r.pieces())).isEqualTo(r.normalized());
            // Every space is escaped as U+2581 (tabs and NBSP become spaces first).
            assertThat(r.normalized()).doesNotContain(" ");
          }
          T5Tokenizer.Encoding e = t5.encode(text, 16);
          assertThat(e.ids()).hasSize(16);
          int n = e.length();
          assertThat(e.ids()[n - 1]).isEqualTo(t5.eosId());
          for (int i = n; i < 16; i++) {
            assertThat(e.ids()[i]).isEqualTo(t5.padId());
            assertThat(e.mask()[i]).isFalse();
          }
        });
  }

  @Test
  void arbitraryBytesNormalizeToWellFormedUtf8() {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 2000; trial++) {
      byte[] bytes = new byte[rnd.nextInt(24)];
      rnd.nextBytes(bytes);
      for (SentencePieceTokenizer sp : List.of(nfkc, userDefined, byteFallback)) {
        SentencePieceTokenizer.Result r = sp.encodeUtf8(bytes);
        byte[] norm = r.normalized().getBytes(StandardCharsets.UTF_8);
        assertThat(new String(norm, StandardCharsets.UTF_8)).isEqualTo(r.normalized());
        assertInVocabulary(sp, r.ids());
        if (!sp.model().byteFallback()) {
          assertThat(String.join("", r.pieces())).isEqualTo(r.normalized());
        }
      }
    }
  }

  @Test
  void thirtyThousandCaptionsTakeSeconds() {
    String[] words = ("a photo of an the cat dog astronaut riding horse on moon oil painting red "
        + "blue wooden table in style Van Gogh cinematic lighting café ＦＵＬＬ 4k, ultra-detailed.")
        .split(" ");
    Random rnd = new Random(11);
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 0, n = 8 + rnd.nextInt(20); w < n; w++) {
        sb.append(words[rnd.nextInt(words.length)]).append(' ');
      }
      captions.add(sb.toString());
    }
    t5.encodeAll(captions.subList(0, 2000), 120);   // warm up the JIT
    long t0 = System.nanoTime();
    List<T5Tokenizer.Encoding> out = t5.encodeAll(captions, 120);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(out).hasSize(30_000);
    // About 1 s on one slow core; the bound leaves room for a loaded CI machine.
    assertThat(seconds).as("seconds for 30,000 captions").isLessThan(20);
  }

  private static void assertInVocabulary(SentencePieceTokenizer sp, int[] ids) {
    for (int id : ids) {
      assertThat(id).isBetween(0, sp.model().size() - 1);
    }
  }
}
