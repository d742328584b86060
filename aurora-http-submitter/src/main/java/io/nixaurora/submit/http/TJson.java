package io.nixaurora.submit.http;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Thrift values and their TJSONProtocol encoding (docs/aurora-spec.md §5.3), enough for the
 * scheduler API without generated code. Output is what the scheduler's strict reader wants: no
 * whitespace, field ids as strings in ascending order, exact element counts, doubles as Python's
 * {@code %.17g}.
 */
final class TJson {
  private TJson() {}

  /** A Thrift value with its TJSON type tag. */
  sealed interface Value permits Struct, Scalar, Collection, MapValue {
    String tag();

    void write(StringBuilder out);
  }

  /** A struct (or union: one field): {@code {"<id>":{"<tag>":<value>},…}}. */
  static final class Struct implements Value {
    private final TreeMap<Integer, Value> fields = new TreeMap<>();

    Struct set(int id, Value value) {
      fields.put(id, Objects.requireNonNull(value));
      return this;
    }

    Struct setIfPresent(int id, Value value) {
      if (value != null) {
        fields.put(id, value);
      }
      return this;
    }

    @Override
    public String tag() {
      return "rec";
    }

    @Override
    public void write(StringBuilder out) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<Integer, Value> field : fields.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append('"').append(field.getKey()).append("\":{\"").append(field.getValue().tag());
        out.append("\":");
        field.getValue().write(out);
        out.append('}');
      }
      out.append('}');
    }
  }

  /** A bool, integer, double or string. */
  record Scalar(String tag, String json) implements Value {
    @Override
    public void write(StringBuilder out) {
      out.append(json);
    }
  }

  /** A list or set: {@code ["<elemTag>",<n>,e1,…]}. */
  record Collection(String tag, String elementTag, List<Value> elements) implements Value {
    Collection {
      elements = List.copyOf(elements);
    }

    @Override
    public void write(StringBuilder out) {
      out.append("[\"").append(elementTag).append("\",").append(elements.size());
      for (Value element : elements) {
        out.append(',');
        element.write(out);
      }
      out.append(']');
    }
  }

  /** A map with string keys: {@code ["str","<vTag>",<n>,{"k":v,…}]}. */
  record MapValue(String valueTag, Map<String, Value> entries) implements Value {
    MapValue {
      entries = new LinkedHashMap<>(entries);
    }

    @Override
    public String tag() {
      return "map";
    }

    @Override
    public void write(StringBuilder out) {
      out.append("[\"str\",\"").append(valueTag).append("\",").append(entries.size()).append(",{");
      boolean first = true;
      for (Map.Entry<String, Value> entry : entries.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(entry.getKey(), out);
        out.append(':');
        entry.getValue().write(out);
      }
      out.append("}]");
    }
  }

  static Scalar bool(boolean value) {
    return new Scalar("tf", value ? "1" : "0");
  }

  static Scalar i32(long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("does not fit an i32: " + value);
    }
    return new Scalar("i32", Long.toString(value));
  }

  static Scalar i64(long value) {
    return new Scalar("i64", Long.toString(value));
  }

  static Scalar dbl(double value) {
    return new Scalar("dbl", formatDouble(value));
  }

  static Scalar str(String value) {
    StringBuilder out = new StringBuilder();
    string(value, out);
    return new Scalar("str", out.toString());
  }

  static Collection list(String elementTag, List<? extends Value> elements) {
    return new Collection("lst", elementTag, new ArrayList<>(elements));
  }

  static Collection set(String elementTag, List<? extends Value> elements) {
    return new Collection("set", elementTag, new ArrayList<>(elements));
  }

  static MapValue stringMap(Map<String, String> entries) {
    Map<String, Value> values = new LinkedHashMap<>();
    entries.forEach((k, v) -> values.put(k, str(v)));
    return new MapValue("str", values);
  }

  /** TJSONProtocol's version, the first element of every message. */
  static final int VERSION = 1;

  /** TMessageType of a call. */
  private static final int CALL = 1;

  /** A call message: {@code [1,"<method>",1,<seqid>,<args>]}. */
  static byte[] call(String method, int seqid, Struct args) {
    StringBuilder out = new StringBuilder();
    out.append('[').append(VERSION).append(',');
    string(method, out);
    out.append(',').append(CALL).append(',').append(seqid).append(',');
    args.write(out);
    out.append(']');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A TJSON string. Quotes, backslashes and control characters are escaped (both Thrift readers
   * accept a backslash-u escape with four hex digits); everything else, non-ASCII included, is
   * written as UTF-8, as the Python and Java writers do.
   */
  static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Python's {@code '{0:.17g}'.format(d)}, which Thrift's Python TJSONProtocol writes. */
  static String formatDouble(double d) {
    if (Double.isNaN(d)) {
      return "\"NaN\"";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    BigDecimal rounded = new BigDecimal(d).round(new MathContext(17)).stripTrailingZeros();
    String digits = rounded.unscaledValue().abs().toString();
    int exponent = digits.length() - rounded.scale() - 1;
    String sign = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 17) {
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign
          + mantissa
          + "e"
          + (exponent < 0 ? "-" : "+")
          + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }
    return sign + rounded.abs().toPlainString();
  }
}
