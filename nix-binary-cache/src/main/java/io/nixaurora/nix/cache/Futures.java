package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Waiting for parallel cache requests whose failures travel as CompletionExceptions. */
final class Futures {

  private Futures() {}

  /** A call that may fail with a {@link CacheException}. */
  @FunctionalInterface
  interface CacheCall<T> {
    T call() throws CacheException;
  }

  /** {@code call} run on {@code executor}; a CacheException travels as the future's cause. */
  static <T> CompletableFuture<T> async(CacheCall<T> call, Executor executor) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.call();
          } catch (CacheException e) {
            throw new CompletionException(e);
          }
        },
        executor);
  }

  /** Waits for {@code f}; a CacheException (or RuntimeException) it failed with is thrown as is. */
  static <T> T join(CompletableFuture<T> f) throws CacheException {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof CacheException ce) {
        throw ce;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new CacheException(CacheException.Kind.FAILURE, String.valueOf(c), c);
    }
  }

  /**
   * Daemon threads named {@code name-N}, for pools their owner shuts down itself: a pool whose
   * shutdown was skipped by an error never keeps the JVM from exiting.
   */
  static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

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
