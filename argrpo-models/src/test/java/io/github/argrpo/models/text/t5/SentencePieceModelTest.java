package io.github.argrpo.models.text.t5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading model files: the fields T5 relies on, and clear errors for everything else. */
class SentencePieceModelTest {

  @TempDir
  Path dir;

  @Test
  void readsTheFieldsEncodingUses() throws Exception {
    SentencePieceModel m = SentencePieceModel.open(SpmFixtures.modelFile(SpmFixtures.NFKC_T5IDS, dir));
    assertThat(m.padId()).isZero();
    assertThat(m.eosId()).isEqualTo(1);
    assertThat(m.unkId()).isEqualTo(2);
    assertThat(m.bosId()).isEqualTo(-1);
    assertThat(m.piece(0)).isEqualTo(new SentencePieceModel.Piece("<pad>", 0f, PieceType.CONTROL));
    assertThat(m.piece(1).text()).isEqualTo("</s>");
    assertThat(m.piece(2).type()).isEqualTo(PieceType.UNKNOWN);
    assertThat(m.piece(3).type()).isEqualTo(PieceType.NORMAL);
    assertThat(m.piece(3).score()).isNegative();
    assertThat(m.byteFallback()).isFalse();
    NormalizerSpec spec = m.normalizerSpec();
    assertThat(spec.name()).isEqualTo("nmt_nfkc");
    assertThat(spec.precompiledCharsmap().length).isGreaterThan(100_000);
    assertThat(spec.addDummyPrefix()).isTrue();
    assertThat(spec.removeExtraWhitespaces()).isTrue();
    assertThat(spec.escapeWhitespaces()).isTrue();

    SentencePieceModel bf = SentencePieceModel.open(SpmFixtures.modelFile(SpmFixtures.BYTE_FALLBACK, dir));
    assertThat(bf.byteFallback()).isTrue();
    assertThat(bf.pieces().stream().filter(p -> p.type() == PieceType.BYTE)).hasSize(256);
    SentencePieceModel ud = SentencePieceModel.open(SpmFixtures.modelFile(SpmFixtures.USER_DEFINED, dir));
    assertThat(ud.pieces().stream().filter(p -> p.type() == PieceType.USER_DEFINED)
        .map(SentencePieceModel.Piece::text)).containsExactly("<sep>", "[MASK]", "foo", "ﬁ");
  }

  @Test
  void emptyFile() throws Exception {
    Path f = Files.write(dir.resolve("empty.model"), new byte[0]);
    assertThatThrownBy(() -> SentencePieceModel.open(f)).isInstanceOf(SentencePieceFormatException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("empty file");
  }

  @Test
  void truncatedFile() throws Exception {
    byte[] full = SpmFixtures.modelBytes(SpmFixtures.USER_DEFINED, dir);
    Path f = Files.write(dir.resolve("cut.model"), Arrays.copyOf(full, full.length / 2));
    assertThatThrownBy(() -> SentencePieceModel.open(f)).isInstanceOf(SentencePieceFormatException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("corrupt or truncated")
        .hasMessageContaining("runs past the end");
  }

  @Test
  void otherKindsOfFile() throws Exception {
    Path text = Files.writeString(dir.resolve("vocab.txt"), "▁the\t-3.2\n▁a\t-3.5\n");
    assertThatThrownBy(() -> SentencePieceModel.open(text))
        .isInstanceOf(SentencePieceFormatException.class).hasMessageContaining(text.toString());
    Path json = Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": {}}");
    assertThatThrownBy(() -> SentencePieceModel.open(json))
        .isInstanceOf(SentencePieceFormatException.class).hasMessageContaining(json.toString());
  }

  @Test
  void nonUnigramModelIsRefused() throws Exception {
    byte[] bpe = model(piece("<unk>", 0f, 2) , piece("a", -1f, 1), trainerSpec(2));
    Path f = Files.write(dir.resolve("bpe.model"), bpe);
    assertThatThrownBy(() -> SentencePieceModel.open(f)).isInstanceOf(SentencePieceFormatException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("model_type is BPE")
        .hasMessageContaining("only UNIGRAM");
  }

  @Test
  void handMadeMinimalModelWorks() throws Exception {
    Path f = Files.write(dir.resolve("tiny.model"),
        model(piece("<unk>", 0f, 2), piece("▁a", -1f, 1), piece("b", -2f, 1),
            trainerSpec(1)));
    SentencePieceTokenizer sp = SentencePieceTokenizer.open(f);
    assertThat(sp.encode("ab b")).containsExactly(1, 2, 0, 2);
    assertThat(sp.encodeAsPieces("ab b")).containsExactly("▁a", "b", "▁", "b");
  }

  @Test
  void structuralErrorsAreNamed() throws Exception {
    assertFormatError(model(piece("a", -1f, 1), trainerSpec(1)), "no unknown piece");
    assertFormatError(model(piece("<unk>", 0f, 2), piece("<unk>", 0f, 2)), "defined twice");
    assertFormatError(model(piece("<unk>", 0f, 2), piece("", -1f, 1)), "piece 1 is empty");
    assertFormatError(model(piece("<unk>", 0f, 2), piece("x", 0f, 9)), "unknown type 9");
    assertFormatError(model(piece("<unk>", 0f, 2), piece("<0x41>", 0f, 6)), "byte_fallback is false");
    // Default trainer_spec ids are unk 0, bos 1, eos 2: give the vocabulary those pieces.
    byte[] specials = model(piece("<unk>", 0f, 2), piece("<s>", 0f, 3), piece("</s>", 0f, 3));
    assertFormatError(model(piece("<unk>", 0f, 2)), "special id) is 1, outside [-1, 1)");
    assertFormatError(model(specials, normalizer(new byte[] {1, 2, 3})), "bad precompiled_charsmap");
    assertFormatError(model(specials, normalizer(new byte[] {(byte) 200, 0, 0, 0, 1, 2})),
        "does not fit");
    assertFormatError(model(specials, normalizer(new byte[] {4, 0, 0, 0, 0, 0, 0, 0, 0})),
        "root unit is invalid");
    assertFormatError(model(trainerSpec(1)), "no vocabulary pieces");
  }

  @Test
  void damagedFilesFailCleanlyOrStillEncode() throws Exception {
    // Whatever a flipped byte does, the result is a clear exception or a working tokenizer, never
    // an IndexOutOfBounds, a hang or a native-style crash.
    byte[] good = SpmFixtures.modelBytes(SpmFixtures.USER_DEFINED, dir);
    Random rnd = new Random(7);
    int opened = 0;
    int refused = 0;
    for (int trial = 0; trial < 300; trial++) {
      byte[] bad = good.clone();
      for (int k = 0; k < 3; k++) {
        bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
      }
      Path f = Files.write(dir.resolve("damaged.model"), bad);
      SentencePieceModel m;
      try {
        m = SentencePieceModel.open(f);
      } catch (SentencePieceFormatException e) {
        assertThat(e).hasMessageContaining(f.toString());
        refused++;
        continue;
      }
      opened++;
      SentencePieceTokenizer sp = SentencePieceTokenizer.of(m);
      int[] ids = sp.encode("A cat <sep> ﬁsh ＡＢ ① \u00a0 end");
      assertThat(Arrays.stream(ids).allMatch(id -> id >= 0 && id < m.size())).isTrue();
    }
    assertThat(opened + refused).isEqualTo(300);
    assertThat(refused).isPositive();
  }

  private void assertFormatError(byte[] bytes, String message) throws Exception {
    Path f = Files.write(dir.resolve("bad.model"), bytes);
    assertThatThrownBy(() -> SentencePieceModel.open(f)).isInstanceOf(SentencePieceFormatException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining(message);
  }

  // A few protobuf writers, enough to make model files by hand.

  private static byte[] model(byte[]... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] f : fields) {
      out.writeBytes(f);
    }
    return out.toByteArray();
  }

  private static byte[] piece(String text, float score, int type) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    body.write(1 << 3 | 2);
    varint(body, t.length);
    body.writeBytes(t);
    body.write(2 << 3 | 5);
    int bits = Float.floatToIntBits(score);
    for (int i = 0; i < 4; i++) {
      body.write(bits >>> (8 * i));
    }
    body.write(3 << 3);
    varint(body, type);
    return field(1, body.toByteArray());
  }

  private static byte[] trainerSpec(int modelType) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(3 << 3);
    varint(body, modelType);
    return field(2, body.toByteArray());
  }

  private static byte[] normalizer(byte[] charsmap) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(2 << 3 | 2);
    varint(body, charsmap.length);
    body.writeBytes(charsmap);
    return field(3, body.toByteArray());
  }

  private static byte[] field(int number, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(number << 3 | 2);
    varint(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }
}
