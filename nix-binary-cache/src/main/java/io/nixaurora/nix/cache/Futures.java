package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for parallel cache requests whose failures travel as CompletionExceptions. */
final class Futures {

  private Futures() {}

  /**
   * Waits for every future in order; the first that failed with a {@link CacheException} throws it
   * as itself, so the caller sees the cache's own message rather than a wrapper.
   */
  static void joinAll(List<CompletableFuture<Void>> all) throws CacheException {
    for (CompletableFuture<Void> f : all) {
      try {
        f.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof CacheException c) {
          throw c;
        }
        throw e;
      }
    }
  }
}
