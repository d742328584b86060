package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Test targets. */
final class Targets {

  private Targets() {}

  /** A target that runs hooks before deletes and narinfo writes (deterministic races). */
  static final class Hooked extends ForwardingTarget {
    /** A hook that may fail. */
    interface Hook {
      void run() throws Exception;
    }

    private final AtomicInteger deletes = new AtomicInteger();
    private final AtomicInteger narInfoWrites = new AtomicInteger();
    volatile Hook beforeFirstDelete = () -> {};
    volatile Hook beforeFirstNarInfoWrite = () -> {};
    volatile Hook beforeFirstExists = () -> {};
    private final AtomicInteger existsCalls = new AtomicInteger();

    Hooked(BinaryCacheTarget t) {
      super(t);
    }

    private static void run(Hook h) throws CacheException {
      try {
        h.run();
      } catch (CacheException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void delete(List<String> keys) throws CacheException {
      if (deletes.getAndIncrement() == 0) {
        run(beforeFirstDelete);
      }
      t.delete(keys);
    }

    @Override
    public boolean exists(String key) throws CacheException {
      if (existsCalls.getAndIncrement() == 0) {
        run(beforeFirstExists);
      }
      return t.exists(key);
    }

    @Override
    public void write(String key, byte[] content, String contentType) throws CacheException {
      if (key.endsWith(".narinfo") && narInfoWrites.getAndIncrement() == 0) {
        run(beforeFirstNarInfoWrite);
      }
      t.write(key, content, contentType);
    }
  }
}
