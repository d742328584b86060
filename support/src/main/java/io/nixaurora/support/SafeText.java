package io.nixaurora.support;

/**
 * Text from servers and other programs made safe to print on a terminal: control characters (escape
 * sequences can retitle a terminal, move the cursor and forge lines) are shown escaped, and long
 * text is cut. Kept in support so that backends can cut what they quote, and the CLI escapes what
 * it prints.
 */
public final class SafeText {
  private SafeText() {}

  /**
   * {@code text} with every control character except newline and tab shown as {@code \e}, {@code
   * \r} or {@code \xNN} (C1 controls, the line separators and the right-to-left override as a
   * backslash, u and the code in braces); printable text unchanged.
   */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacement(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        out.append(replacement != null ? replacement : String.valueOf(c));
      }
    }
    return out == null ? text : out.toString();
  }

  private static String replacement(char c) {
    if (c == '\n' || c == '\t') {
      return null;
    }
    if (c == 0x1B) {
      return "\\e";
    }
    if (c == '\r') {
      return "\\r";
    }
    if (c < 0x20 || c == 0x7F) {
      return String.format("\\x%02x", (int) c);
    }
    if ((c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029' || c == '\u202E') {
      return String.format("\\u{%04x}", (int) c);
    }
    return null;
  }

  /** {@code text} cut to {@code max} characters, ending in {@code …} when cut. */
  public static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, Math.max(0, max - 1)) + "…";
  }
}
