package io.github.argrpo.models.text.t5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** T5's EOS, truncation, padding, mask and special-token rules, on a model with T5's id layout. */
class T5TokenizerTest {

  @TempDir
  Path dir;

  private T5Tokenizer t5;
  private int pieces;

  @BeforeEach
  void open() throws Exception {
    t5 = T5Tokenizer.open(SpmFixtures.modelFile(SpmFixtures.NFKC_T5IDS, dir));
    pieces = t5.sentencePiece().model().size();
  }

  @Test
  void emptyTextIsEosThenPadding() {
    T5Tokenizer.Encoding e = t5.encode("", 6);
    assertThat(e.ids()).containsExactly(1, 0, 0, 0, 0, 0);
    assertThat(e.mask()).containsExactly(true, false, false, false, false, false);
    assertThat(e.length()).isEqualTo(1);
    assertThat(t5.encode("   \t ", 3).ids()).containsExactly(1, 0, 0);
  }

  @Test
  void piecesThenEosThenPadding() {
    // "Hello world" -> [3, 2, 42, 18, 46, 135, 38, 270] by the real SentencePiece (expected.json).
    T5Tokenizer.Encoding e = t5.encode("Hello world", 12);
    assertThat(e.ids()).containsExactly(3, 2, 42, 18, 46, 135, 38, 270, 1, 0, 0, 0);
    assertThat(e.mask()).containsExactly(true, true, true, true, true, true, true, true, true,
        false, false, false);
    assertThat(t5.pieceIds("Hello world")).containsExactly(3, 2, 42, 18, 46, 135, 38, 270);
  }

  @Test
  void truncationKeepsEosLast() {
    int[] all = t5.pieceIds("Hello world");
    T5Tokenizer.Encoding e = t5.encode("Hello world", 5);
    assertThat(e.ids()).containsExactly(all[0], all[1], all[2], all[3], 1);
    assertThat(e.mask()).containsOnly(true);

    String longText = "x".repeat(300);
    int[] longIds = t5.pieceIds(longText);
    assertThat(longIds.length).isGreaterThan(120);
    T5Tokenizer.Encoding l = t5.encode(longText, 120);
    assertThat(l.ids()).hasSize(120);
    assertThat(l.ids()[119]).isEqualTo(1);
    assertThat(Arrays.copyOf(l.ids(), 119)).containsExactly(Arrays.copyOf(longIds, 119));
    assertThat(l.length()).isEqualTo(120);
  }

  @Test
  void exactFitHasNoPadding() {
    int n = t5.pieceIds("Hello world").length;
    T5Tokenizer.Encoding e = t5.encode("Hello world", n + 1);
    assertThat(e.ids()[n]).isEqualTo(1);
    assertThat(e.mask()).containsOnly(true);
    assertThat(t5.encode("Hello world", 1).ids()).containsExactly(1);
  }

  @Test
  void maxLengthBelowOneIsRefused() {
    assertThatThrownBy(() -> t5.encode("a", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLength must be >= 1").hasMessageContaining("got 0");
  }

  @Test
  void sentinelsAreMatchedLiterallyAndCountDownFromTheTop() {
    assertThat(t5.vocabSize()).isEqualTo(pieces + 100);
    assertThat(t5.sentinelId(0)).isEqualTo(pieces + 99);
    assertThat(t5.sentinelId(99)).isEqualTo(pieces);
    SentencePieceTokenizer sp = t5.sentencePiece();
    int[] expected = concat(sp.encode("a cat "), new int[] {pieces + 99}, sp.encode(" on a mat"),
        new int[] {pieces + 82}, sp.encode(""), new int[] {pieces});
    assertThat(t5.pieceIds("a cat <extra_id_0> on a mat<extra_id_17><extra_id_99>"))
        .containsExactly(expected);
    // Not sentinels: out of range, leading zero, unclosed.
    for (String text : new String[] {"<extra_id_100>", "<extra_id_07>", "<extra_id_3"}) {
      assertThat(t5.pieceIds(text)).as(text).containsExactly(sp.encode(text));
    }
  }

  @Test
  void specialTokensInTextBecomeTheirIds() {
    SentencePieceTokenizer sp = t5.sentencePiece();
    assertThat(t5.pieceIds("end</s>")).containsExactly(concat(sp.encode("end"), new int[] {1}));
    assertThat(t5.pieceIds("<pad><unk>")).containsExactly(0, 2);
  }

  @Test
  void decodeSkipsSpecialTokens() {
    T5Tokenizer.Encoding e = t5.encode("A cat sitting on a wooden table", 40);
    assertThat(t5.decode(e.ids())).isEqualTo("A cat sitting on a wooden table");
    assertThat(t5.decode(new int[] {t5.sentinelId(0), 5, 1, 0})).isEqualTo("a");
    assertThatThrownBy(() -> t5.decode(new int[] {pieces + 100}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the vocabulary");
  }

  @Test
  void opensAFolderHoldingSpieceModel() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("flan-t5-xl"));
    Files.copy(SpmFixtures.modelFile(SpmFixtures.NFKC_T5IDS, dir), folder.resolve("spiece.model"));
    assertThat(T5Tokenizer.open(folder).encode("Hello world", 12)).isEqualTo(t5.encode("Hello world", 12));
  }

  @Test
  void missingModelSaysWhatToDownload() {
    assertThatThrownBy(() -> T5Tokenizer.open(dir.resolve("nowhere")))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("spiece.model").hasMessageContaining("google/flan-t5-xl");
    assertThatThrownBy(() -> T5Tokenizer.open(dir))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(dir.resolve("spiece.model").toString());
  }

  @Test
  void modelWithoutPadIsNotAT5Model() {
    // user_defined.model has SentencePiece's default ids: no pad.
    Path file = SpmFixtures.modelFile(SpmFixtures.USER_DEFINED, dir);
    assertThatThrownBy(() -> T5Tokenizer.open(file))
        .isInstanceOf(SentencePieceFormatException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("not a T5 model")
        .hasMessageContaining("pad_id -1");
  }

  private static int[] concat(int[]... parts) {
    return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
  }
}
