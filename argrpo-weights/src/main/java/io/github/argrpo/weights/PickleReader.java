package io.github.argrpo.weights;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle virtual machine for the data subset that {@code torch.save} writes (protocols 2 to 4),
 * which never runs code: {@code GLOBAL} yields a {@link PickleGlobal} name, and what calling it means
 * ({@code REDUCE}, {@code NEWOBJ}), what a persistent id loads and what {@code BUILD} does are
 * decided by {@link Hooks}.
 *
 * <p>Python values map to Java as: {@code str} to {@link String}; {@code int} to {@link Long} (or
 * {@link BigInteger} beyond 64 bits); {@code float} to {@link Double}; {@code bool} to
 * {@link Boolean}; {@code None} to {@code null}; {@code bytes} to {@code byte[]}; {@code tuple} to an
 * unmodifiable {@link List}; {@code list} to {@link ArrayList}; {@code dict} to
 * {@link LinkedHashMap}; {@code set} to {@link LinkedHashSet}.
 *
 * <p>Every read is bounds-checked; a malformed pickle (unknown opcode, stack underflow, missing
 * mark, memo miss, truncation) is a {@link WeightFormatException} giving the byte position.
 */
final class PickleReader {

  /** What the torch-specific parts of a pickle mean. */
  interface Hooks {
    /** The object a {@code BINPERSID} id stands for (torch: a storage). */
    Object persistentLoad(Object pid, PickleReader at) throws WeightFormatException;

    /** The result of calling {@code callable(*args)} ({@code REDUCE}, {@code NEWOBJ}). */
    Object call(Object callable, List<Object> args, PickleReader at) throws WeightFormatException;

    /** Applies {@code BUILD}'s {@code state} to {@code obj}. */
    void build(Object obj, Object state, PickleReader at) throws WeightFormatException;
  }

  private final Path file;
  private final String entry;
  private final ByteBuffer in;
  private final Hooks hooks;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();
  private int opPos;

  private PickleReader(Path file, String entry, byte[] data, Hooks hooks) {
    this.file = file;
    this.entry = entry;
    this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    this.hooks = hooks;
  }

  /**
   * Runs the pickle in {@code data} (zip entry {@code entry} of {@code file}, for messages) and returns
   * the object {@code STOP} returns.
   */
  static Object load(Path file, String entry, byte[] data, Hooks hooks) throws WeightFormatException {
    PickleReader r = new PickleReader(file, entry, data, hooks);
    try {
      return r.run();
    } catch (RuntimeException | StackOverflowError e) {
      // Safety net for hostile input the checks below did not foresee (the interpreter itself is
      // iterative; only hooks recurse): a clean format error, never an escaping runtime error.
      throw r.error("malformed pickle (" + e + ")");
    }
  }

  /** An error at the current opcode. */
  WeightFormatException error(String problem) {
    return new WeightFormatException(file, entry + " at byte " + opPos + ": " + problem);
  }

  private Object run() throws WeightFormatException {
    while (true) {
      opPos = in.position();
      int op = u8();
      switch (op) {
        case 0x80 -> { // PROTO
          int proto = u8();
          if (proto > 5) {
            throw error("pickle protocol " + proto + " is newer than this reader (<= 5)");
          }
        }
        case 0x95 -> skip(8); // FRAME: a length hint only
        case '.' -> { // STOP
          Object result = pop();
          return result;
        }
        case '(' -> marks.add(stack.size()); // MARK
        case '0' -> pop(); // POP
        case '1' -> popMark(); // POP_MARK
        case '2' -> push(peek()); // DUP
        case 'N' -> push(null);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'J' -> push((long) in.getInt()); // BININT
        case 'K' -> push((long) u8()); // BININT1
        case 'M' -> push((long) (in.getShort() & 0xFFFF)); // BININT2
        case 0x8a -> push(longN(u8())); // LONG1
        case 0x8b -> push(longN(len32())); // LONG4
        case 'I' -> push(parseInt(line())); // INT
        case 'L' -> push(parseInt(stripSuffix(line(), "L"))); // LONG
        case 'G' -> { // BINFLOAT is big-endian
          need(8);
          push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
        }
        case 'F' -> push(parseFloat(line()));
        case 'X' -> push(utf8(len32())); // BINUNICODE
        case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
        case 0x8d -> push(utf8(len64())); // BINUNICODE8
        case 'V' -> push(line()); // UNICODE (raw-unicode-escape; names are ASCII in practice)
        case 'T' -> push(latin1(len32())); // BINSTRING (Python 2 str)
        case 'U' -> push(latin1(u8())); // SHORT_BINSTRING
        case 'B' -> push(bytes(len32())); // BINBYTES
        case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
        case 0x8e -> push(bytes(len64())); // BINBYTES8
        case ')' -> push(tuple(List.of()));
        case 0x85 -> push(tuple(popN(1)));
        case 0x86 -> push(tuple(popN(2)));
        case 0x87 -> push(tuple(popN(3)));
        case 't' -> push(tuple(popMark()));
        case ']' -> push(new ArrayList<>());
        case 'l' -> push(new ArrayList<>(popMark()));
        case 'a' -> { // APPEND
          Object v = pop();
          asList(peek()).add(v);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popMark();
          asList(peek()).addAll(items);
        }
        case '}' -> push(new LinkedHashMap<>());
        case 'd' -> { // DICT
          Map<Object, Object> m = new LinkedHashMap<>();
          putPairs(m, popMark());
          push(m);
        }
        case 's' -> { // SETITEM
          Object v = pop();
          Object k = hashable(pop());
          asMap(peek()).put(k, v);
        }
        case 'u' -> { // SETITEMS
          List<Object> kv = popMark();
          putPairs(asMap(peek()), kv);
        }
        case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
        case 0x90 -> { // ADDITEMS
          List<Object> items = popMark();
          for (Object o : items) {
            asSet(peek()).add(hashable(o));
          }
        }
        case 0x91 -> { // FROZENSET
          Set<Object> set = new LinkedHashSet<>();
          for (Object o : popMark()) {
            set.add(hashable(o));
          }
          push(Collections.unmodifiableSet(set));
        }
        case 'c' -> { // GLOBAL: "module\nname\n"
          String module = line();
          String name = line();
          push(new PickleGlobal(module, name));
        }
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String) || !(name instanceof String)) {
            throw error("STACK_GLOBAL needs two strings, got " + describe(module) + ", " + describe(name));
          }
          push(new PickleGlobal((String) module, (String) name));
        }
        case 'R' -> { // REDUCE
          Object args = pop();
          Object callable = pop();
          push(hooks.call(callable, asTuple(args, "REDUCE arguments"), this));
        }
        case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args)
          Object args = pop();
          Object cls = pop();
          push(hooks.call(cls, asTuple(args, "NEWOBJ arguments"), this));
        }
        case 0x92 -> { // NEWOBJ_EX: keyword arguments are dropped
          pop();
          Object args = pop();
          Object cls = pop();
          push(hooks.call(cls, asTuple(args, "NEWOBJ_EX arguments"), this));
        }
        case 'b' -> { // BUILD
          Object state = pop();
          hooks.build(peek(), state, this);
        }
        case 'Q' -> push(hooks.persistentLoad(pop(), this)); // BINPERSID
        case 'P' -> push(hooks.persistentLoad(line(), this)); // PERSID
        case 'q' -> memo.put((long) u8(), peek()); // BINPUT
        case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
        case 'p' -> memo.put(parseLong(line()), peek()); // PUT
        case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
        case 'h' -> push(memoGet(u8())); // BINGET
        case 'j' -> push(memoGet(u32())); // LONG_BINGET
        case 'g' -> push(memoGet(parseLong(line()))); // GET
        default -> throw error(String.format("unsupported pickle opcode 0x%02x%s", op,
            op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "")
            + " (not a torch.save data.pkl, or corrupt)");
      }
    }
  }

  // ---- stack ----

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop() throws WeightFormatException {
    int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    if (stack.size() <= floor) {
      throw error("stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() throws WeightFormatException {
    int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    if (stack.size() <= floor) {
      throw error("stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private List<Object> popN(int n) throws WeightFormatException {
    Object[] items = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      items[i] = pop();
    }
    return Arrays.asList(items);
  }

  private List<Object> popMark() throws WeightFormatException {
    if (marks.isEmpty()) {
      throw error("no MARK on the stack");
    }
    int m = marks.remove(marks.size() - 1);
    List<Object> top = stack.subList(m, stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  private Object memoGet(long key) throws WeightFormatException {
    if (!memo.containsKey(key)) {
      throw error("memo key " + key + " was never stored");
    }
    return memo.get(key);
  }

  // ---- values ----

  private static List<Object> tuple(List<Object> items) {
    return Collections.unmodifiableList(new ArrayList<>(items));
  }

  private List<Object> asTuple(Object o, String what) throws WeightFormatException {
    if (o instanceof List<?>) {
      @SuppressWarnings("unchecked")
      List<Object> l = (List<Object>) o;
      return l;
    }
    throw error(what + " must be a tuple, got " + describe(o));
  }

  @SuppressWarnings("unchecked")
  private List<Object> asList(Object o) throws WeightFormatException {
    if (o instanceof ArrayList<?>) {
      return (List<Object>) o;
    }
    if (o instanceof PickleObject) {
      return new ArrayList<>(); // items appended to an opaque object are dropped
    }
    throw error("APPEND target must be a list, got " + describe(o));
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> asMap(Object o) throws WeightFormatException {
    if (o instanceof Map<?, ?>) {
      return (Map<Object, Object>) o;
    }
    if (o instanceof PickleObject) {
      return new HashMap<>(); // items set on an opaque object (a dict subclass) are dropped
    }
    throw error("SETITEM target must be a dict, got " + describe(o));
  }

  @SuppressWarnings("unchecked")
  private Set<Object> asSet(Object o) throws WeightFormatException {
    if (o instanceof LinkedHashSet<?>) {
      return (Set<Object>) o;
    }
    throw error("ADDITEMS target must be a set, got " + describe(o));
  }

  private void putPairs(Map<Object, Object> m, List<Object> kv) throws WeightFormatException {
    if (kv.size() % 2 != 0) {
      throw error("odd number of items (" + kv.size() + ") for a dict");
    }
    for (int i = 0; i < kv.size(); i += 2) {
      m.put(hashable(kv.get(i)), kv.get(i + 1));
    }
  }

  /**
   * Returns {@code key} if Python could hash it: scalars, names, opaque objects and tuples of those.
   * Lists, dicts and sets (mutable, possibly self-referential through the memo) are refused, as
   * Python refuses them, so that Java's structural hashCode never recurses through a cycle.
   */
  Object hashable(Object key) throws WeightFormatException {
    if (!isHashable(key, 0)) {
      throw error("unhashable dict or set key " + describe(key));
    }
    return key;
  }

  private static boolean isHashable(Object o, int depth) {
    if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean
        || o instanceof PickleGlobal || o instanceof PickleObject || o instanceof byte[]) {
      return true;
    }
    // tuples and frozensets (the unmodifiable wrappers) of hashable items; lists and sets are not
    boolean tuple = o instanceof List<?> && !(o instanceof ArrayList<?>);
    boolean frozen = o instanceof Set<?> && !(o instanceof LinkedHashSet<?>);
    if (depth < 16 && (tuple || frozen)) {
      for (Object x : (Collection<?>) o) {
        if (!isHashable(x, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** A short description of a value for messages. */
  static String describe(Object o) {
    if (o == null) {
      return "None";
    }
    if (o instanceof String s) {
      return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
    }
    if (o instanceof List<?> l) {
      return "tuple/list of " + l.size();
    }
    if (o instanceof Map<?, ?> m) {
      return "dict of " + m.size();
    }
    return o.getClass().getSimpleName().isEmpty() ? o.toString() : o.getClass().getSimpleName()
        + (o instanceof Number || o instanceof Boolean || o instanceof PickleGlobal ? " " + o : "");
  }

  // ---- bytes ----

  private void need(long n) throws WeightFormatException {
    if (n < 0 || n > in.remaining()) {
      throw error("needs " + n + " more bytes but only " + in.remaining() + " remain (truncated)");
    }
  }

  private int u8() throws WeightFormatException {
    need(1);
    return in.get() & 0xFF;
  }

  private void skip(int n) throws WeightFormatException {
    need(n);
    in.position(in.position() + n);
  }

  private long u32() throws WeightFormatException {
    need(4);
    return in.getInt() & 0xFFFFFFFFL;
  }

  private int len32() throws WeightFormatException {
    need(4);
    long n = in.getInt() & 0xFFFFFFFFL;
    need(n);
    return (int) n;
  }

  private int len64() throws WeightFormatException {
    need(8);
    long n = in.getLong();
    need(n);
    return (int) n;
  }

  private byte[] bytes(int n) throws WeightFormatException {
    need(n);
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private String utf8(int n) throws WeightFormatException {
    return new String(bytes(n), StandardCharsets.UTF_8);
  }

  private String latin1(int n) throws WeightFormatException {
    return new String(bytes(n), StandardCharsets.ISO_8859_1);
  }

  private String line() throws WeightFormatException {
    int start = in.position();
    for (int i = start; i < in.limit(); i++) {
      if (in.get(i) == '\n') {
        byte[] b = new byte[i - start];
        in.get(b);
        in.get();
        return new String(b, StandardCharsets.UTF_8);
      }
    }
    throw error("unterminated text argument (truncated)");
  }

  private Object longN(int n) throws WeightFormatException {
    byte[] le = bytes(n);
    if (n == 0) {
      return 0L;
    }
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = le[n - 1 - i];
    }
    BigInteger v = new BigInteger(be);
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private Object parseInt(String s) throws WeightFormatException {
    // Protocol 0 spells booleans as INT "01" / "00".
    if (s.equals("01")) {
      return Boolean.TRUE;
    }
    if (s.equals("00")) {
      return Boolean.FALSE;
    }
    try {
      BigInteger v = new BigInteger(s.trim());
      return v.bitLength() < 64 ? (Object) v.longValue() : v;
    } catch (NumberFormatException e) {
      throw error("bad integer '" + s + "'");
    }
  }

  private long parseLong(String s) throws WeightFormatException {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw error("bad memo key '" + s + "'");
    }
  }

  private Object parseFloat(String s) throws WeightFormatException {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw error("bad float '" + s + "'");
    }
  }

  private static String stripSuffix(String s, String suffix) {
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }
}
