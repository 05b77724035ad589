package io.github.argrpo.eval.drawbench.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.image.ImageBatch;

/**
 * The DeQA reward-server client and its pickle wire format. Expected bytes: the request is written out
 * opcode by opcode below (and {@code pickle.loads} of those bytes gave {@code {'images': [b'ab', b'']}}
 * under Python 3.11); the replies are Python's own {@code pickle.dumps} output, protocol 4 (the default)
 * and protocol 2.
 */
class DeqaClientTest {

  private static final HexFormat HEX = HexFormat.of();
  /** {@code pickle.dumps({'outputs': [0.5, 0.8125, 1.0]})}, Python 3.11 (protocol 4). */
  private static final String REPLY_P4 =
      "8004952d000000000000007d948c076f757470757473945d9428473fe0000000000000473fea000000000000473ff000000000000065732e";
  /** The same with {@code protocol=2} (BINPUT memo, BINUNICODE). */
  private static final String REPLY_P2 =
      "80027d710058070000006f75747075747371015d710228473fe0000000000000473fea000000000000473ff000000000000065732e";

  @Test
  void writesTheRequestPickle() {
    // PROTO 3 | EMPTY_DICT | BINUNICODE len 6 "images" | EMPTY_LIST | MARK | BINBYTES 2 "ab" | BINBYTES 0 | APPENDS | SETITEM | STOP
    String want = "8003" + "7d" + "5806000000" + "696d61676573" + "5d" + "28" + "42020000006162" + "4200000000" + "65" + "73"
        + "2e";
    assertEquals(want, HEX.formatHex(PickleCodec.imagesRequest(List.of(new byte[] {'a', 'b'}, new byte[0]))));
  }

  @Test
  void readsPythonReplies() {
    assertArrayEquals(new double[] {0.5, 0.8125, 1.0}, DeqaClient.outputs(HEX.parseHex(REPLY_P4), 3));
    assertArrayEquals(new double[] {0.5, 0.8125, 1.0}, DeqaClient.outputs(HEX.parseHex(REPLY_P2), 3));
    // pickle.dumps({'outputs': [0.5, 1, None, True]}): BININT1, NONE, NEWTRUE
    Object o = PickleCodec.read(HEX.parseHex("8004951f000000000000007d948c076f757470757473945d9428473fe00000000000004b014e8865732e"));
    assertEquals(Map.of("outputs", Arrays.asList(0.5, 1L, null, true)), o);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeqaClient.outputs(HEX.parseHex(REPLY_P4), 2));
    assertTrue(e.getMessage().contains("3 outputs for 2 images"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PickleCodec.read(HEX.parseHex("80047d")));
  }

  @Test
  void postsJpegBatchesToTheServer() throws Exception {
    float[] px = new float[2 * 3 * 8 * 8];
    Arrays.fill(px, 0, px.length / 2, 0.5f);   // grey 128 after rounding
    Arrays.fill(px, px.length / 2, px.length, 0.2f);
    try (StubServer server = new StubServer(b -> new StubServer.Reply(200, HEX.parseHex(REPLY_P4.replace(
        "473ff000000000000065", "65"))));  // {'outputs': [0.5, 0.8125]}
        ImageBatch images = ImageBatch.fromArray(px, 2, 8, 8)) {
      double[] got = new DeqaClient(server.uri("/")).score(images, List.of("p", "q"));
      assertArrayEquals(new double[] {0.5, 0.8125}, got);
      assertEquals(1, server.requests.size());
      Object req = PickleCodec.read(server.requests.get(0).body());
      List<?> jpegs = (List<?>) ((Map<?, ?>) req).get("images");
      assertEquals(2, jpegs.size());
      BufferedImage first = ImageIO.read(new ByteArrayInputStream((byte[]) jpegs.get(0)));
      assertEquals(8, first.getWidth());
      int g = first.getRGB(3, 3) & 0xFF;
      assertTrue(Math.abs(g - 128) <= 1, "a flat 128 grey survives JPEG within a level, got " + g);
    }
  }
}
