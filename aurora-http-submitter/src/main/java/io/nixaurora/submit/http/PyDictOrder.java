package io.nixaurora.submit.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The iteration order of a CPython 2.7 (64-bit, hash randomisation off) {@code dict} of string
 * keys.
 *
 * <p>Aurora's client serialises the executor's {@code data} with {@code json.dumps} of dicts whose
 * order is CPython 2.7's slot order (docs/aurora-spec.md §3.2, §9). The scheduler's update diff
 * compares that string byte for byte, so we reproduce the order exactly: the string hash, open
 * addressing with perturbed probing, and the resize rules of {@code Objects/dictobject.c}. Only
 * insertion of distinct new keys and {@code dict.copy()} are needed; nothing is ever deleted.
 *
 * <p>Instances are mutable and not thread-safe; they live for one computation.
 */
final class PyDictOrder {
  private static final int MIN_SIZE = 8;
  private static final int PERTURB_SHIFT = 5;

  private String[] keys = new String[MIN_SIZE];
  private long[] hashes = new long[MIN_SIZE];
  private int used;

  /** A dict built by inserting {@code keys} one by one, as {@code dict(generator)} does. */
  static PyDictOrder insertedInOrder(List<String> keys) {
    PyDictOrder dict = new PyDictOrder();
    for (String key : keys) {
      dict.put(key);
    }
    return dict;
  }

  /**
   * A dict literal of {@code keys} in Python source: {@code BUILD_MAP n} presizes the table ({@code
   * _PyDict_NewPresized}, for more than 5 entries), then each key is stored in order.
   */
  static PyDictOrder literal(List<String> keys) {
    PyDictOrder dict = new PyDictOrder();
    if (keys.size() > 5) {
      dict.resize(keys.size());
    }
    for (String key : keys) {
      dict.put(key);
    }
    return dict;
  }

  /** The keys of {@code dict(generator)} over {@code keys}, in iteration order. */
  static List<String> order(List<String> keys) {
    return insertedInOrder(keys).keys();
  }

  /**
   * CPython 2.7's {@code string_hash}/{@code unicode_hash} (hash secret 0), over code points as a
   * UCS-4 build does; for ASCII keys, the only ones the schema has, str and unicode agree.
   */
  static long hash(String key) {
    int[] points = key.codePoints().toArray();
    if (points.length == 0) {
      return 0;
    }
    long x = ((long) points[0]) << 7;
    for (int p : points) {
      x = (1000003L * x) ^ p;
    }
    x ^= points.length;
    if (x == -1) {
      x = -2;
    }
    return x;
  }

  /** PyDict_SetItem of a key (a present key keeps its slot). */
  void put(String key) {
    long hash = hash(key);
    int before = used;
    insert(key, hash);
    int size = keys.length;
    if (used > before && fill() * 3L >= size * 2L) {
      resize((used > 50000 ? 2 : 4) * used);
    }
  }

  /** {@code dict.copy()}: PyDict_Merge into an empty dict, with its one up-front resize. */
  PyDictOrder copy() {
    PyDictOrder copy = new PyDictOrder();
    if (used == 0) {
      return copy;
    }
    if ((long) (copy.fill() + used) * 3 >= (long) copy.keys.length * 2) {
      copy.resize((copy.used + used) * 2);
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        copy.insert(keys[i], hashes[i]);
      }
    }
    return copy;
  }

  /** The keys in iteration (slot) order. */
  List<String> keys() {
    List<String> order = new ArrayList<>(used);
    for (String key : keys) {
      if (key != null) {
        order.add(key);
      }
    }
    return order;
  }

  private int fill() {
    return used; // no deletions, so no dummy slots
  }

  private void insert(String key, long hash) {
    long mask = keys.length - 1;
    long i = hash & mask;
    long perturb = hash;
    while (true) {
      int slot = (int) (i & mask);
      if (keys[slot] == null) {
        keys[slot] = key;
        hashes[slot] = hash;
        used++;
        return;
      }
      if (hashes[slot] == hash && keys[slot].equals(key)) {
        return;
      }
      i = (i << 2) + i + perturb + 1;
      perturb >>>= PERTURB_SHIFT;
    }
  }

  private void resize(int minUsed) {
    int newSize = MIN_SIZE;
    while (newSize <= minUsed && newSize > 0) {
      newSize <<= 1;
    }
    String[] oldKeys = keys;
    long[] oldHashes = hashes;
    keys = new String[newSize];
    hashes = new long[newSize];
    used = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        insert(oldKeys[i], oldHashes[i]);
      }
    }
  }
}
