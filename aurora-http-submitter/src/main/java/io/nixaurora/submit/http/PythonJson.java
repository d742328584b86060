package io.nixaurora.submit.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a JSON tree exactly as Python 2.7's {@code json.dumps(obj)} does with default arguments:
 * separators {@code ", "} and {@code ": "}, {@code ensure_ascii} escapes, floats as {@code
 * repr(float)}. Object keys are written in the tree's order, which the caller has already put in
 * CPython dict order (see {@link PyDictOrder}).
 */
final class PythonJson {
  private PythonJson() {}

  static String dumps(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        out.append('{');
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        boolean first = true;
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          if (!first) {
            out.append(", ");
          }
          first = false;
          string(field.getKey(), out);
          out.append(": ");
          write(field.getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(", ");
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      case NUMBER -> {
        if (node.isFloatingPointNumber()) {
          out.append(floatRepr(node.doubleValue()));
        } else {
          out.append(node.bigIntegerValue().toString());
        }
      }
      default -> throw new IllegalArgumentException("cannot write " + node.getNodeType());
    }
  }

  /** {@code json.dumps} of a string with {@code ensure_ascii=True}. */
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
          if (c < 0x20 || c > 0x7e) {
            // UTF-16 units, so astral characters come out as surrogate pairs, as Python writes
            // them.
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Python 2.7's {@code repr(float)}: the shortest string that reads back as the same double. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    String sci = null;
    for (int precision = 1; precision <= 17; precision++) {
      String candidate = String.format(Locale.ROOT, "%." + (precision - 1) + "e", d);
      if (Double.parseDouble(candidate) == d) {
        sci = candidate;
        break;
      }
    }
    BigDecimal value = new BigDecimal(sci).stripTrailingZeros();
    String digits = value.unscaledValue().abs().toString();
    // decimal point position: value = 0.digits * 10^decpt
    int decpt = digits.length() - value.scale();
    String sign = d < 0 ? "-" : "";
    if (decpt > -4 && decpt <= 16) {
      String text;
      if (decpt <= 0) {
        text = "0." + "0".repeat(-decpt) + digits;
      } else if (decpt >= digits.length()) {
        text = digits + "0".repeat(decpt - digits.length()) + ".0";
      } else {
        text = digits.substring(0, decpt) + "." + digits.substring(decpt);
      }
      return sign + text;
    }
    int exponent = decpt - 1;
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return sign
        + mantissa
        + "e"
        + (exponent < 0 ? "-" : "+")
        + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
  }
}
