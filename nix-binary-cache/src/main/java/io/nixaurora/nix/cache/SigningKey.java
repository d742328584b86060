package io.nixaurora.nix.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A Nix binary-cache secret key: {@code NAME:base64(64 bytes)}, the 64 bytes being libsodium's
 * secret key (32-byte seed, then the 32-byte public key), exactly as {@code nix-store
 * --generate-binary-cache-key} writes it. Signs with BouncyCastle's Ed25519 (deterministic, RFC
 * 8032).
 *
 * <p>{@link #toString()} never shows the secret.
 */
public final class SigningKey {

  private final String name;
  private final byte[] seed;
  private final PublicKey publicKey;

  private SigningKey(String name, byte[] seed, byte[] publicKey) {
    this.name = checkName(name);
    if (seed.length != 32) {
      throw new IllegalArgumentException("secret key '" + name + "': the seed must be 32 bytes");
    }
    this.seed = seed.clone();
    this.publicKey = new PublicKey(name, publicKey);
  }

  /**
   * Begins loading BouncyCastle's Ed25519 in the background: the JVM checks the signature of its
   * (signed) jar and the tables are built, ~0.25 s of CPU. A push calls this when its existence
   * checks find the first missing path, so that the loading overlaps the remaining checks and the
   * first compression instead of delaying the first signature (a push that finds everything present
   * never loads it). (Started when the key is read instead, it held the class-loading locks the
   * closure reading needed.)
   */
  static void warmUpSigning() {
    Thread warm = new Thread(Ed25519::precompute, "ed25519-precompute");
    warm.setDaemon(true);
    warm.start();
  }

  static String checkName(String name) {
    if (name == null || name.isEmpty() || name.contains(":") || !name.strip().equals(name)) {
      throw new IllegalArgumentException(
          "key name: must be non-empty, without ':' or surrounding spaces");
    }
    return name;
  }

  /** A new random key named {@code name} (by convention {@code host-1}). */
  public static SigningKey generate(String name) {
    checkName(name);
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] seed =
          ((EdECPrivateKey) pair.getPrivate())
              .getBytes()
              .orElseThrow(() -> new IllegalStateException("Ed25519 key without seed"));
      byte[] pub = PublicKey.encode(((EdECPublicKey) pair.getPublic()).getPoint());
      return new SigningKey(name, seed, pub);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /**
   * Parses the content of a secret-key file. The message of a failure never contains the key.
   *
   * @throws IllegalArgumentException when it is not {@code NAME:base64(64 bytes)}
   */
  public static SigningKey parse(String text) {
    String t = text.strip();
    int colon = t.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("secret key: expected NAME:BASE64");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(t.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("secret key '" + t.substring(0, colon) + "': not base64");
    }
    if (bytes.length != 64) {
      throw new IllegalArgumentException(
          "secret key '" + t.substring(0, colon) + "': expected 64 bytes, got " + bytes.length);
    }
    SigningKey key =
        new SigningKey(
            t.substring(0, colon),
            Arrays.copyOfRange(bytes, 0, 32),
            Arrays.copyOfRange(bytes, 32, 64));
    // The file's public half must belong to its seed, or every signature would fail to verify.
    if (!belongTogether(key.seed, key.publicKey)) {
      Arrays.fill(bytes, (byte) 0);
      throw new IllegalArgumentException(
          "secret key '" + key.name + "': its public half does not match its seed");
    }
    Arrays.fill(bytes, (byte) 0);
    return key;
  }

  /** What {@link #belongTogether} signs. */
  private static final byte[] PROBE = "nix-aurora key check".getBytes(StandardCharsets.UTF_8);

  /**
   * Whether {@code publicKey} is the public half of {@code seed}, through the JDK's supported
   * Ed25519 API alone: a signature made from the seed (the JDK derives the public key from the seed
   * itself, RFC 8032 §5.1.5-6, and hashes it into the signature) verifies under {@code publicKey}
   * only if that is the same key. BouncyCastle, which signs, is not loaded for this: reading a key
   * stays cheap (measured: deriving the key with BouncyCastle's Ed25519PrivateKeyParameters made
   * reading it about 0.4 s slower, its signed jar checked and its tables built), and a push that
   * finds everything present never loads it.
   */
  private static boolean belongTogether(byte[] seed, PublicKey publicKey) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed)));
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(PublicKey.toJdk(publicKey.bytes()));
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (IllegalArgumentException
        | java.security.InvalidKeyException
        | java.security.SignatureException e) {
      return false; // not a point on the curve, or an unusable signature: not this seed's key
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /**
   * Reads a secret-key file.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file when it is not a secret key
   */
  public static SigningKey read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The key's name. */
  public String name() {
    return name;
  }

  /** The public half, for {@code trusted-public-keys}. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** Signs {@code fingerprint}: returns {@code NAME:base64(64-byte signature)}. */
  public String sign(String fingerprint) {
    // BouncyCastle's RFC 8032 Ed25519, given the public key (checked against the seed when the
    // key was read): the JDK's Signature re-derives it on every call, which doubles the work.
    byte[] message = fingerprint.getBytes(StandardCharsets.UTF_8);
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicKey.bytes(), 0, message, 0, message.length, signature, 0);
    return name + ":" + Base64.getEncoder().encodeToString(signature);
  }

  /**
   * The secret-key file content, {@code NAME:base64(seed ‖ public)} with no trailing newline, as
   * Nix writes it. Handle with care: this is the secret.
   */
  public String secretKeyText() {
    byte[] all = new byte[64];
    System.arraycopy(seed, 0, all, 0, 32);
    System.arraycopy(publicKey.bytes(), 0, all, 32, 32);
    String text = name + ":" + Base64.getEncoder().encodeToString(all);
    Arrays.fill(all, (byte) 0);
    return text;
  }

  /**
   * Writes the secret file (mode 0600) and the public file, like {@code nix-store
   * --generate-binary-cache-key NAME SECRET PUBLIC}. Both are created new: an existing file, or a
   * symbolic link (even a dangling one, whose target would otherwise be created), is never written
   * through or replaced. Each file is written in full beside its name and then linked into place,
   * so a reader never sees half a key.
   *
   * @throws FileAlreadyExistsException when either name exists
   */
  public void writeFiles(Path secretFile, Path publicFile) throws IOException {
    for (Path p : new Path[] {secretFile, publicFile}) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(p.toString());
      }
    }
    createNew(secretFile, secretKeyText(), "rw-------");
    try {
      createNew(publicFile, publicKey.toString(), "rw-r--r--");
    } catch (IOException e) {
      Files.deleteIfExists(secretFile); // a key is written whole or not at all
      throw e;
    }
  }

  /**
   * Creates {@code file} with {@code text}, failing if the name exists in any form: a temporary
   * file is written, then hard-linked to the name ({@code link(2)} never follows or replaces what
   * is there), then removed.
   */
  private static void createNew(Path file, String text, String permissions) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp =
        Files.createTempFile(
            dir,
            ".key",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.createLink(file, tmp);
      } catch (UnsupportedOperationException e) {
        // A file system without hard links: a move without REPLACE_EXISTING still refuses a name
        // that exists, symbolic links included.
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The key's name only; never the secret. */
  @Override
  public String toString() {
    return "SigningKey[" + name + "]";
  }
}
