package io.nixaurora.nix.cache;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through while taking their SHA-256 and count (NarHash/NarSize, FileHash/Size). */
final class HashingOutputStream extends FilterOutputStream {

  private final MessageDigest digest = NixHash.newDigest();
  private long count;
  private NixHash hash;

  HashingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digest.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    digest.update(b, off, len);
    count += len;
  }

  long count() {
    return count;
  }

  /** The SHA-256 of everything passed through; ends the hashing (later bytes are not counted). */
  NixHash hash() {
    if (hash == null) {
      hash = NixHash.ofBytes(digest.digest());
    }
    return hash;
  }
}
