package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Waiting for parallel cache requests whose failures travel as CompletionExceptions. */
final class Futures {

  private Futures() {}

  /** A request about one key. */
  interface KeyAction {
    void run(String key) throws CacheException;
  }

  /** Runs {@code action} for every key, {@code concurrency} at a time; the first failure throws. */
  static void forEachKey(List<String> keys, int concurrency, KeyAction action)
      throws CacheException {
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, keys.size())));
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (String k : keys) {
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    action.run(k);
                  } catch (CacheException e) {
                    throw new CompletionException(e);
                  }
                },
                pool));
      }
      joinAll(all);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Waits for every future in order; the first that failed with a {@link CacheException} throws it
   * as itself, so the caller sees the cache's own message rather than a wrapper.
   */
  private static void joinAll(List<CompletableFuture<Void>> all) throws CacheException {
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
