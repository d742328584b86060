package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A cache's {@code nix-cache-info} (spec §3.2): read before a push, refused when the cache is for
 * another store directory, written when the cache is new.
 *
 * @param text the file as read, empty when the cache has none (a new cache)
 */
record CacheInfo(Optional<byte[]> text) {

  static final String KEY = "nix-cache-info";
  static final String CONTENT = "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 30\n";

  /** Reads the cache's nix-cache-info (nothing is written). */
  static CacheInfo read(BinaryCacheTarget target) throws CacheException {
    return new CacheInfo(target.read(KEY));
  }

  /** Whether the cache had no nix-cache-info: nothing was ever pushed to it. */
  boolean isNew() {
    return text.isEmpty();
  }

  /**
   * Writes the nix-cache-info of a new cache, or refuses a cache for another store directory.
   *
   * @throws CacheException when the cache is for another store, or the write fails
   */
  void ensure(BinaryCacheTarget target) throws CacheException {
    if (text.isEmpty()) {
      target.write(KEY, CONTENT.getBytes(StandardCharsets.UTF_8), "text/x-nix-cache-info");
      return;
    }
    for (String line : new String(text.get(), StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("StoreDir:") && !line.substring(9).strip().equals(StorePath.STORE_DIR)) {
        throw new CacheException(
            CacheException.Kind.FAILURE,
            target.url()
                + " is a cache for store "
                + line.substring(9).strip()
                + ", not /nix/store");
      }
    }
  }
}
