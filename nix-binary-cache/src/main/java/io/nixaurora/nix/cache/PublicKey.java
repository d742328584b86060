package io.nixaurora.nix.cache;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A Nix binary-cache public key, {@code NAME:base64(32-byte Ed25519 key)} as in {@code
 * trusted-public-keys} and the files {@code nix-store --generate-binary-cache-key} writes.
 */
public final class PublicKey {

  private final String name;
  private final byte[] key;

  PublicKey(String name, byte[] key) {
    this.name = SigningKey.checkName(name);
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "public key '" + name + "': expected 32 bytes, got " + key.length);
    }
    this.key = key.clone();
    // The JDK decodes the point: a malformed key fails here, when it is read, not at the first
    // signature check.
    toJdk(this.key);
  }

  /** Parses {@code NAME:base64}; a trailing newline is allowed. */
  public static PublicKey parse(String text) {
    String t = text.strip();
    int colon = t.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("public key: expected NAME:BASE64, got '" + t + "'");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(t.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public key '" + t + "': not base64", e);
    }
    return new PublicKey(t.substring(0, colon), bytes);
  }

  /** The key's name, such as {@code cache-1}. */
  public String name() {
    return name;
  }

  /** The raw 32 bytes. */
  public byte[] bytes() {
    return key.clone();
  }

  /**
   * Whether {@code signature} ({@code NAME:base64(64 bytes)}, a narinfo {@code Sig} value) is this
   * key's valid signature of {@code fingerprint}. A signature under another key name is not.
   */
  public boolean verifies(String fingerprint, String signature) {
    int colon = signature.indexOf(':');
    if (colon < 0 || !signature.substring(0, colon).equals(name)) {
      return false;
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(signature.substring(colon + 1).strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (sig.length != 64) {
      return false;
    }
    // BouncyCastle's verify is several times faster than the JDK's (a publish confirms, and the
    // verifier checks, one signature per path); both follow RFC 8032.
    byte[] message = fingerprint.getBytes(StandardCharsets.UTF_8);
    return Ed25519.verify(sig, 0, key, 0, message, 0, message.length);
  }

  /** RFC 8032 encoding (y little-endian, x parity in the top bit) to a JDK key. */
  static java.security.PublicKey toJdk(byte[] encoded) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = encoded[31 - i];
    }
    boolean xOdd = (be[0] & 0x80) != 0;
    be[0] &= 0x7f;
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(
              new EdECPublicKeySpec(
                  NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be))));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("public key: not a valid Ed25519 key", e);
    }
  }

  /** JDK public key to its RFC 8032 32-byte encoding. */
  static byte[] encode(EdECPoint point) {
    byte[] y = point.getY().toByteArray();
    byte[] out = new byte[32];
    // toByteArray is big-endian and may carry a leading sign byte; copy the low 32 bytes reversed.
    for (int i = 0; i < 32 && i < y.length; i++) {
      out[i] = y[y.length - 1 - i];
    }
    if (point.isXOdd()) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKey k && name.equals(k.name) && Arrays.equals(key, k.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(key));
  }

  /** {@code NAME:base64}, the form of {@code trusted-public-keys}. */
  @Override
  public String toString() {
    return name + ":" + Base64.getEncoder().encodeToString(key);
  }
}
