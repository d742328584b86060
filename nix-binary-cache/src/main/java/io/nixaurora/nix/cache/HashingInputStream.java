package io.nixaurora.nix.cache;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Passes bytes through while taking their SHA-256 and count. */
final class HashingInputStream extends FilterInputStream {

  private final MessageDigest digest = NixHash.newDigest();
  private long count;
  private NixHash hash;

  HashingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      digest.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipping would leave bytes out of the hash; read them instead.
    byte[] buf = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
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
