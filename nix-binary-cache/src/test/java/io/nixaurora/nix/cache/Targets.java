package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/** Test targets. */
final class Targets {

  private Targets() {}

  /** A target that runs hooks before deletes and narinfo writes (deterministic races). */
  static final class Hooked implements BinaryCacheTarget {
    /** A hook that may fail. */
    interface Hook {
      void run() throws Exception;
    }

    private final BinaryCacheTarget t;
    private final AtomicInteger deletes = new AtomicInteger();
    private final AtomicInteger narInfoWrites = new AtomicInteger();
    volatile Hook beforeFirstDelete = () -> {};
    volatile Hook beforeFirstNarInfoWrite = () -> {};
    volatile Hook beforeFirstExists = () -> {};
    private final AtomicInteger existsCalls = new AtomicInteger();

    Hooked(BinaryCacheTarget t) {
      this.t = t;
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
    public CacheUrl url() {
      return t.url();
    }

    @Override
    public boolean exists(String key) throws CacheException {
      if (existsCalls.getAndIncrement() == 0) {
        run(beforeFirstExists);
      }
      return t.exists(key);
    }

    @Override
    public OptionalLong size(String key) throws CacheException {
      return t.size(key);
    }

    @Override
    public Optional<byte[]> read(String key) throws CacheException {
      return t.read(key);
    }

    @Override
    public InputStream open(String key) throws CacheException {
      return t.open(key);
    }

    @Override
    public void write(String key, byte[] content, String contentType) throws CacheException {
      if (key.endsWith(".narinfo") && narInfoWrites.getAndIncrement() == 0) {
        run(beforeFirstNarInfoWrite);
      }
      t.write(key, content, contentType);
    }

    @Override
    public void writeFile(String key, Path staged, String contentType) throws CacheException {
      t.writeFile(key, staged, contentType);
    }

    @Override
    public Path stagingDirectory() throws CacheException {
      return t.stagingDirectory();
    }

    @Override
    public String removeStaleTemporaries() {
      return t.removeStaleTemporaries();
    }

    @Override
    public int concurrency() {
      return t.concurrency();
    }

    @Override
    public Optional<List<String>> listNarInfos() throws CacheException {
      return t.listNarInfos();
    }

    @Override
    public Optional<List<Entry>> listEntries() throws CacheException {
      return t.listEntries();
    }

    @Override
    public Optional<Instant> lastModified(String key) throws CacheException {
      return t.lastModified(key);
    }

    @Override
    public void close() {
      t.close();
    }
  }
}
