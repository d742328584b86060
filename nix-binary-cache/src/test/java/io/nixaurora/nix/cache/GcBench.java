package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/cache-gc.sh: one {@code gc --delete} (grace 3 days) of the cache at URL with the roots in
 * ROOTS_FILE, printing its time and the target operations it made: {@code GcBench URL ROOTS_FILE}.
 */
public final class GcBench {

  private GcBench() {}

  public static void main(String[] args) throws Exception {
    CacheUrl url = CacheUrl.parse(args[0]);
    List<StorePath> roots = new ArrayList<>();
    for (String l : Files.readAllLines(Path.of(args[1]))) {
      if (!l.isBlank()) {
        roots.add(StorePath.of(l.strip()));
      }
    }
    Map<String, AtomicLong> ops = new ConcurrentHashMap<>();
    try (BinaryCacheTarget t = BinaryCacheTarget.openExisting(url, Optional.empty())) {
      Counting c = new Counting(t, ops);
      long start = System.nanoTime();
      CacheGc.Report r =
          CacheGc.builder()
              .target(c)
              .roots(roots)
              .grace(Duration.ofDays(3))
              .delete(true)
              .build()
              .run();
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.println(r.summary());
      System.out.println("gc took " + ms + " ms; target operations " + new TreeMap<>(ops));
    }
    System.exit(0);
  }

  /** Counts operations (a delete of N keys counts N). */
  static final class Counting extends ForwardingTarget {
    private final Map<String, AtomicLong> ops;

    Counting(BinaryCacheTarget t, Map<String, AtomicLong> ops) {
      super(t);
      this.ops = ops;
    }

    private void count(String op, long n) {
      ops.computeIfAbsent(op, k -> new AtomicLong()).addAndGet(n);
    }

    @Override
    public void delete(List<String> keys) throws CacheException {
      count("delete(key)", keys.size());
      t.delete(keys);
    }

    @Override
    public boolean exists(String key) throws CacheException {
      count("exists", 1);
      return t.exists(key);
    }

    @Override
    public OptionalLong size(String key) throws CacheException {
      count("size", 1);
      return t.size(key);
    }

    @Override
    public Optional<byte[]> read(String key) throws CacheException {
      count("read", 1);
      return t.read(key);
    }

    @Override
    public InputStream open(String key) throws CacheException {
      count("open", 1);
      return t.open(key);
    }

    @Override
    public void write(String key, byte[] content, String contentType) throws CacheException {
      count("write", 1);
      t.write(key, content, contentType);
    }

    @Override
    public void writeFile(String key, Path staged, String contentType) throws CacheException {
      count("write", 1);
      t.writeFile(key, staged, contentType);
    }

    @Override
    public Optional<List<Entry>> listEntries() throws CacheException {
      count("list", 1);
      return t.listEntries();
    }

    @Override
    public Optional<Instant> lastModified(String key) throws CacheException {
      count("lastModified", 1);
      return t.lastModified(key);
    }
  }
}
