package io.nixaurora.nix.cache;

/**
 * Nix's base32: the alphabet {@code 0123456789abcdfghijklmnpqrsvwxyz} over the bytes read as a
 * little-endian bit string, most significant 5-bit group first. Not RFC 4648.
 */
public final class NixBase32 {

  private static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";

  private NixBase32() {}

  /** The length of the encoding of {@code bytes} bytes (52 for SHA-256, 32 for 20 bytes). */
  public static int encodedLength(int bytes) {
    return bytes == 0 ? 0 : (bytes * 8 - 1) / 5 + 1;
  }

  /** Encodes {@code hash}. */
  public static String encode(byte[] hash) {
    int len = encodedLength(hash.length);
    StringBuilder out = new StringBuilder(len);
    for (int n = len - 1; n >= 0; n--) {
      int b = n * 5;
      int i = b / 8;
      int j = b % 8;
      int c = (hash[i] & 0xff) >> j;
      if (i + 1 < hash.length) {
        c |= (hash[i + 1] & 0xff) << (8 - j);
      }
      out.append(ALPHABET.charAt(c & 31));
    }
    return out.toString();
  }

  /**
   * Decodes {@code text} into {@code bytes} bytes.
   *
   * @throws IllegalArgumentException when the text has the wrong length, a character outside the
   *     alphabet, or bits beyond the last byte
   */
  public static byte[] decode(String text, int bytes) {
    if (text.length() != encodedLength(bytes)) {
      throw new IllegalArgumentException(
          "nix-base32: expected "
              + encodedLength(bytes)
              + " characters for "
              + bytes
              + " bytes, got "
              + text.length());
    }
    byte[] hash = new byte[bytes];
    int len = text.length();
    for (int k = 0; k < len; k++) {
      char ch = text.charAt(len - 1 - k);
      int digit = ALPHABET.indexOf(ch);
      if (digit < 0) {
        throw new IllegalArgumentException("nix-base32: invalid character '" + ch + "'");
      }
      int b = k * 5;
      int i = b / 8;
      int j = b % 8;
      hash[i] = (byte) (hash[i] | (digit << j));
      int carry = digit >> (8 - j);
      if (i + 1 < bytes) {
        hash[i + 1] = (byte) (hash[i + 1] | carry);
      } else if (carry != 0) {
        throw new IllegalArgumentException("nix-base32: '" + text + "' has bits beyond its length");
      }
    }
    return hash;
  }
}
