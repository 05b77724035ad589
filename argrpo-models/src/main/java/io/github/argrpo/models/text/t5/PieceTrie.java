package io.github.argrpo.models.text.t5;

import java.util.Arrays;

/**
 * A byte trie from UTF-8 piece strings to piece ids, for walking a text one byte at a time: the
 * unigram lattice asks, at every character, for all pieces that start there.
 *
 * <p>Transitions live in one open-addressing hash table keyed by {@code node << 8 | byte}: compact
 * for T5's 32,000 pieces (about 120,000 transitions, ~2 MB) and about as fast as Darts-clone's
 * double array, without building one.
 */
final class PieceTrie {

  private long[] keys;      // node << 8 | byte, plus one so that 0 marks an empty slot
  private int[] children;
  private int mask;
  private int transitions;
  private int[] values;     // piece id per node, -1 where no piece ends
  private int nodes = 1;    // node 0 is the root

  PieceTrie() {
    keys = new long[1024];
    children = new int[1024];
    mask = keys.length - 1;
    values = new int[256];
    Arrays.fill(values, -1);
  }

  /** Adds {@code piece -> id}; an earlier id for the same piece is kept. */
  void put(byte[] piece, int id) {
    int node = 0;
    for (byte b : piece) {
      int next = child(node, b & 0xFF);
      if (next < 0) {
        next = newNode();
        insert(key(node, b & 0xFF), next);
      }
      node = next;
    }
    if (values[node] < 0) {
      values[node] = id;
    }
  }

  /** The node reached from {@code node} by byte {@code b} (0..255), or -1. */
  int child(int node, int b) {
    long k = key(node, b);
    int slot = slot(k);
    while (true) {
      long found = keys[slot];
      if (found == k) {
        return children[slot];
      }
      if (found == 0) {
        return -1;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The id of the piece ending at {@code node}, or -1. */
  int value(int node) {
    return values[node];
  }

  /** The length of the longest piece that is a prefix of {@code s[from, to)}, or 0. */
  int longestPrefix(byte[] s, int from, int to) {
    int node = 0;
    int best = 0;
    for (int i = from; i < to; i++) {
      node = child(node, s[i] & 0xFF);
      if (node < 0) {
        break;
      }
      if (values[node] >= 0) {
        best = i + 1 - from;
      }
    }
    return best;
  }

  boolean isEmpty() {
    return nodes == 1 && values[0] < 0;
  }

  private int newNode() {
    if (nodes == values.length) {
      int old = values.length;
      values = Arrays.copyOf(values, old * 2);
      Arrays.fill(values, old, values.length, -1);
    }
    return nodes++;
  }

  private void insert(long k, int child) {
    if ((transitions + 1) * 2 > keys.length) {
      grow();
    }
    int slot = slot(k);
    while (keys[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    keys[slot] = k;
    children[slot] = child;
    transitions++;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldChildren = children;
    keys = new long[oldKeys.length * 2];
    children = new int[oldKeys.length * 2];
    mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int slot = slot(oldKeys[i]);
        while (keys[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        children[slot] = oldChildren[i];
      }
    }
  }

  private static long key(int node, int b) {
    return ((long) node << 8 | b) + 1;
  }

  private int slot(long k) {
    return (int) ((k * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }
}
