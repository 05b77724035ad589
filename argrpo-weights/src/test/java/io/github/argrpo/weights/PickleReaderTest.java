package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The pickle machine on hand-assembled opcodes, protocols 0 to 4, and its refusals. */
class PickleReaderTest {

  static final Path FILE = Path.of("test.pt");

  static Object load(byte[] b) throws WeightFormatException {
    return PickleReader.load(FILE, "a/data.pkl", b, new TorchPickleHooks());
  }

  static byte[] bytes(Object... parts) {
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    for (Object p : parts) {
      if (p instanceof Integer i) {
        b.put((byte) (int) i);
      } else if (p instanceof Character c) {
        b.put((byte) (char) c);
      } else if (p instanceof String s) {
        b.put(s.getBytes(StandardCharsets.UTF_8));
      } else if (p instanceof byte[] a) {
        b.put(a);
      } else {
        throw new IllegalArgumentException(String.valueOf(p));
      }
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  @Test
  void protocolFourFramesShortStringsMemoizeAndStackGlobal() throws WeightFormatException {
    byte[] p = bytes(0x80, 4, 0x95, new byte[8], // PROTO 4, FRAME
        '}', 0x94, // d = {}; MEMOIZE as 0
        0x8c, 3, "key", 0x94, // 'key'; MEMOIZE as 1
        0x8c, 11, "collections", 0x8c, 11, "OrderedDict", 0x93, ')', 'R', // OrderedDict()
        's', // d['key'] = OrderedDict()
        'h', 1, 0x8c, 1, "x", 's', // d[memo 1] = 'x' (replaces the value)
        '(', 'K', 1, 'K', 2, 0x91, // frozenset({1, 2})
        0x8a, 9, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1}, // 2**64
        's', // d[frozenset({1, 2})] = 2**64
        '.');
    Map<?, ?> m = (Map<?, ?>) load(p);
    assertThat(m).hasSize(2);
    assertThat(m.get("key")).isEqualTo("x");
    assertThat(m.get(Set.of(1L, 2L))).isEqualTo(BigInteger.ONE.shiftLeft(64));
  }

  @Test
  void protocolZeroTextOpcodes() throws WeightFormatException {
    byte[] p = bytes('(', 'I', "42\n", 'I', "01\n", 'L', "-7L\n", 'F', "2.5\n", 'V', "caf\n", 'N',
        'l', 'p', "0\n", 'g', "0\n", 0x86, '.');
    List<?> pair = (List<?>) load(p);
    assertThat(pair).hasSize(2);
    assertThat((List<?>) pair.get(0)).isEqualTo(Arrays.asList(42L, true, -7L, 2.5, "caf", null));
    assertThat(pair.get(1)).isSameAs(pair.get(0)); // memo GET returns the same object
  }

  @Test
  void opaqueObjectsKeepTheirState() throws WeightFormatException {
    byte[] p = bytes(0x80, 2, 'c', "argparse\nNamespace\n", ')', 0x81, '}', 'X', PickleBuilder.le32(2),
        "lr", 'G', ByteBuffer.allocate(8).putDouble(1e-4).array(), 's', 'b', '.');
    Object o = load(p);
    assertThat(o).isInstanceOf(PickleObject.class);
    PickleObject obj = (PickleObject) o;
    assertThat(obj.type()).isEqualTo(new PickleGlobal("argparse", "Namespace"));
    assertThat(obj.state()).isEqualTo(Map.of("lr", 1e-4));
  }

  @Test
  void malformedPicklesAreExplained() {
    assertThatThrownBy(() -> load(bytes(0x80, 2, 0xff))).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("test.pt").hasMessageContaining("a/data.pkl at byte 2")
        .hasMessageContaining("0xff");
    assertThatThrownBy(() -> load(bytes(0x80, 2, 's'))).hasMessageContaining("stack underflow");
    assertThatThrownBy(() -> load(bytes(0x80, 2, 'h', 9))).hasMessageContaining("memo key 9");
    assertThatThrownBy(() -> load(bytes(0x80, 2, 't'))).hasMessageContaining("no MARK");
    assertThatThrownBy(() -> load(bytes(0x80, 2, 'X', PickleBuilder.le32(100), "ab")))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> load(bytes(0x80, 2, ']'))).hasMessageContaining("truncated");
    assertThatThrownBy(() -> load(bytes(0x80, 9))).hasMessageContaining("protocol 9");
    assertThatThrownBy(() -> load(bytes(0x80, 2, '(', 'K', 1, 'u', '.')))
        .hasMessageContaining("stack underflow");
    assertThatThrownBy(() -> load(bytes(0x80, 2, 'X', PickleBuilder.le32(3), "abc", 'Q', '.')))
        .hasMessageContaining("persistent id");
  }

  @Test
  void setsAreBuiltButCannotBeKeys() throws WeightFormatException {
    byte[] set = bytes(0x80, 4, 0x8f, '(', 'K', 1, 'K', 2, 0x90, '.'); // {1, 2}
    assertThat(load(set)).isEqualTo(Set.of(1L, 2L));
    byte[] setKey = bytes(0x80, 4, '}', 0x8f, 'K', 1, 's', '.'); // {set(): 1}
    assertThatThrownBy(() -> load(setKey)).hasMessageContaining("unhashable");
  }

  @Test
  void cyclesCannotRecurseForever() {
    // l = []; l.append(l); {l: 1}  (Python: TypeError, unhashable list)
    byte[] listKey = bytes(0x80, 2, '}', ']', 'q', 0, 'h', 0, 'a', 'K', 1, 's', '.');
    assertThatThrownBy(() -> load(listKey)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("unhashable");
    // t = (_rebuild_from_type_v2, None, l) with l = [f, None, l]: each call unwraps to itself
    byte[] selfCall = bytes(0x80, 2, 'c', "torch._tensor\n_rebuild_from_type_v2\n", 'q', 1,
        ']', 'q', 2, 'h', 1, 'a', 'N', 'a', 'h', 2, 'a', // l = [f, None, l]
        'h', 1, 'h', 1, 'N', 'h', 2, 0x87, 'R', '.'); // f(f, None, l)
    assertThatThrownBy(() -> load(selfCall)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("nested");
  }
}
