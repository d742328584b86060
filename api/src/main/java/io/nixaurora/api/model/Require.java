package io.nixaurora.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checks model constructors share. Every message starts with {@code <struct>.<field>: }, so it
 * names the field both for builder users and, after the struct name is replaced by the JSON path,
 * for JSON readers.
 */
final class Require {

  private Require() {}

  static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": is required");
    }
    return value;
  }

  static String nonBlank(String value, String field) {
    present(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + ": must not be blank");
    }
    return value;
  }

  /** Null (unset) is fine; a set value must not be blank. */
  static void nonBlankIfSet(String value, String field) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(field + ": must not be blank when set");
    }
  }

  static void atLeast(Number value, long min, String field) {
    if (value != null && value.longValue() < min) {
      throw new IllegalArgumentException(field + ": must be >= " + min + ", got " + value);
    }
  }

  static void atLeast(Double value, double min, String field) {
    if (value != null && (!(value >= min) || value.isInfinite())) {
      throw new IllegalArgumentException(
          field + ": must be a finite number >= " + min + ", got " + value);
    }
  }

  static void positive(Double value, String field) {
    if (value != null && (!(value > 0) || value.isInfinite())) {
      throw new IllegalArgumentException(field + ": must be a finite number > 0, got " + value);
    }
  }

  /** An immutable copy, null entries rejected; null stays null (unset). */
  static <T> List<T> listOrNull(List<T> list, String field) {
    if (list == null) {
      return null;
    }
    List<T> copy = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      copy.add(present(list.get(i), field + "[" + i + "]"));
    }
    return Collections.unmodifiableList(copy);
  }

  /**
   * An immutable copy sorted by key (so equal maps serialize to equal bytes whatever the insertion
   * order), blank keys and null values rejected; null stays null (unset).
   */
  static Map<String, String> sortedMapOrNull(Map<String, String> map, String field) {
    if (map == null) {
      return null;
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException(field + ": keys must not be blank");
      }
      copy.put(e.getKey(), present(e.getValue(), field + "." + e.getKey()));
    }
    return Collections.unmodifiableMap(copy);
  }
}
