package io.github.argrpo.eval.drawbench.clients;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little of Python's pickle format that AR-GRPO's reward server speaks: requests are
 * {@code pickle.dumps({"images": [jpeg bytes, ...]})}, replies {@code pickle.dumps({"outputs": [float, ...]})}.
 *
 * <p>{@link #imagesRequest} writes protocol 3 (what Python 3 reads with any {@code pickle.loads}).
 * {@link #read} reads the plain-data subset of protocols 0..5 that such replies use: dicts, lists, tuples,
 * str, bytes, float, int, bool, None, with memo and framing; anything else (a class instance, a global)
 * is refused with the opcode named.
 */
final class PickleCodec {

  private static final Object MARK = new Object();

  private PickleCodec() {}

  /**
   * {@code {"images": [b0, b1, ...]}} as protocol 3: PROTO 3, EMPTY_DICT, BINUNICODE "images", EMPTY_LIST,
   * MARK, BINBYTES each, APPENDS, SETITEM, STOP (no memo: the unpickler needs none).
   */
  static byte[] imagesRequest(List<byte[]> images) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80);
    out.write(3);
    out.write('}');
    byte[] key = "images".getBytes(StandardCharsets.UTF_8);
    out.write('X');
    writeInt(out, key.length);
    out.writeBytes(key);
    out.write(']');
    out.write('(');
    for (byte[] b : images) {
      out.write('B');
      writeInt(out, b.length);
      out.writeBytes(b);
    }
    out.write('e');
    out.write('s');
    out.write('.');
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write((v >>> 8) & 0xFF);
    out.write((v >>> 16) & 0xFF);
    out.write((v >>> 24) & 0xFF);
  }

  /**
   * Reads one pickled plain-data value: {@code Map<Object, Object>}, {@code List<Object>}, {@code String},
   * {@code byte[]}, {@code Double}, {@code Long}, {@code Boolean} or {@code null}.
   *
   * @throws IllegalArgumentException for truncated data or an opcode outside that subset
   */
  static Object read(byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    Deque<Object> stack = new ArrayDeque<>();
    Map<Integer, Object> memo = new HashMap<>();
    try {
      while (true) {
        int op = in.get() & 0xFF;
        switch (op) {
          case 0x80 -> in.get(); // PROTO n
          case 0x95 -> in.getLong(); // FRAME length: frames are only a read-ahead hint
          case '}' -> stack.push(new LinkedHashMap<>());
          case ']' -> stack.push(new ArrayList<>());
          case ')' -> stack.push(new ArrayList<>());
          case '(' -> stack.push(MARK);
          case 'N' -> stack.push(NullValue.NULL);
          case 0x88 -> stack.push(Boolean.TRUE);
          case 0x89 -> stack.push(Boolean.FALSE);
          case 'G' -> stack.push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT is big-endian
          case 'J' -> stack.push((long) in.getInt());
          case 'K' -> stack.push((long) (in.get() & 0xFF));
          case 'M' -> stack.push((long) (in.getShort() & 0xFFFF));
          case 'X' -> stack.push(utf8(in, in.getInt()));
          case 0x8c -> stack.push(utf8(in, in.get() & 0xFF));
          case 0x8d -> stack.push(utf8(in, Math.toIntExact(in.getLong())));
          case 'B' -> stack.push(bytes(in, in.getInt()));
          case 'C' -> stack.push(bytes(in, in.get() & 0xFF));
          case 0x8e -> stack.push(bytes(in, Math.toIntExact(in.getLong())));
          case 0x94 -> memo.put(memo.size(), stack.peek()); // MEMOIZE
          case 'q' -> memo.put(in.get() & 0xFF, stack.peek());
          case 'r' -> memo.put(in.getInt(), stack.peek());
          case 'h' -> stack.push(memoGet(memo, in.get() & 0xFF));
          case 'j' -> stack.push(memoGet(memo, in.getInt()));
          case 'a' -> {
            Object v = stack.pop();
            list(stack.peek()).add(unwrap(v));
          }
          case 'e' -> {
            List<Object> items = popToMark(stack);
            list(stack.peek()).addAll(items);
          }
          case 's' -> {
            Object v = stack.pop();
            Object k = stack.pop();
            map(stack.peek()).put(unwrap(k), unwrap(v));
          }
          case 'u' -> {
            List<Object> items = popToMark(stack);
            Map<Object, Object> m = map(stack.peek());
            for (int i = 0; i + 1 < items.size(); i += 2) {
              m.put(items.get(i), items.get(i + 1));
            }
          }
          case 't' -> stack.push(popToMark(stack));
          case 0x85 -> stack.push(new ArrayList<>(Collections.singletonList(unwrap(stack.pop()))));
          case 0x86, 0x87 -> {
            int n = op - 0x84;
            List<Object> t = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              t.add(0, unwrap(stack.pop()));
            }
            stack.push(t);
          }
          case '.' -> {
            return unwrap(stack.pop());
          }
          default -> throw new IllegalArgumentException(String.format(
              "pickle opcode 0x%02x at byte %d is outside the plain-data subset this client reads (dict, list, str, "
                  + "bytes, float, int); the reward server must reply with plain Python values", op, in.position() - 1));
        }
      }
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated pickle (" + data.length + " bytes): no STOP opcode", e);
    }
  }

  /** A stand-in for None on the stack (ArrayDeque refuses null). */
  private enum NullValue { NULL }

  private static Object unwrap(Object v) {
    return v == NullValue.NULL ? null : v;
  }

  private static Object memoGet(Map<Integer, Object> memo, int i) {
    checkArgument(memo.containsKey(i), "pickle refers to memo entry %s, which was never stored", i);
    return memo.get(i);
  }

  private static List<Object> popToMark(Deque<Object> stack) {
    List<Object> items = new ArrayList<>();
    while (true) {
      checkArgument(!stack.isEmpty(), "malformed pickle: no MARK before APPENDS/SETITEMS/TUPLE");
      Object v = stack.pop();
      if (v == MARK) {
        break;
      }
      items.add(0, unwrap(v));
    }
    return items;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    if (!(o instanceof List)) {
      throw new IllegalArgumentException("malformed pickle: APPEND onto a " + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("malformed pickle: SETITEM onto a " + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }
    return (Map<Object, Object>) o;
  }

  private static String utf8(ByteBuffer in, int n) {
    return new String(bytes(in, n), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer in, int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
