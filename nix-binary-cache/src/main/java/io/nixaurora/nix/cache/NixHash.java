package io.nixaurora.nix.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A SHA-256 hash as Nix writes it. Parses every form Nix accepts in a narinfo ({@code
 * sha256:<base32>}, {@code sha256:<hex>}, {@code sha256:<base64>}, SRI {@code sha256-<base64>});
 * prints {@code sha256:<base32>}, the form of narinfo files and signature fingerprints.
 */
public final class NixHash {

  private final byte[] bytes;

  private NixHash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The hash with these 32 bytes. */
  public static NixHash ofBytes(byte[] bytes) {
    if (bytes.length != 32) {
      throw new IllegalArgumentException("sha256 hash: expected 32 bytes, got " + bytes.length);
    }
    return new NixHash(bytes.clone());
  }

  /** Parses a prefixed SHA-256 hash; throws {@link IllegalArgumentException} naming the text. */
  public static NixHash parse(String text) {
    String body;
    boolean sri;
    if (text.startsWith("sha256:")) {
      body = text.substring(7);
      sri = false;
    } else if (text.startsWith("sha256-")) {
      body = text.substring(7);
      sri = true;
    } else {
      throw new IllegalArgumentException("hash '" + text + "' is not a sha256 hash");
    }
    try {
      if (sri || body.length() == 44) {
        return ofBytes(Base64.getDecoder().decode(body));
      }
      if (body.length() == 64) {
        return new NixHash(HexFormat.of().parseHex(body));
      }
      if (body.length() == 52) {
        return new NixHash(NixBase32.decode(body, 32));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("hash '" + text + "' is malformed: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("hash '" + text + "' has the wrong length");
  }

  /** The SHA-256 of {@code data}. */
  public static NixHash sha256(byte[] data) {
    return new NixHash(newDigest().digest(data));
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The raw 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The 52-character nix-base32 form without prefix (the NAR file name in a cache). */
  public String base32() {
    return NixBase32.encode(bytes);
  }

  /** {@code sha256:<hex>}. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** {@code sha256-<base64>}, as {@code nix path-info --json} prints it. */
  public String sri() {
    return "sha256-" + Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NixHash h && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** {@code sha256:<base32>}. */
  @Override
  public String toString() {
    return "sha256:" + base32();
  }
}
