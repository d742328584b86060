package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.NixException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.nix.local.NixStore;
import io.nixaurora.nix.local.PathInfo;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Pushes closures to a binary cache, like {@code nix copy --to}, but in parallel. A push is four
 * steps, each its own class:
 *
 * <ol>
 *   <li>{@link CacheInfo}: the cache's {@code nix-cache-info} is read (while Nix reads the closure)
 *       and written for a new cache;
 *   <li>{@link Presence}: which paths the cache holds whole is asked of the cache, in bulk where it
 *       can list its files, never of a local record;
 *   <li>{@link NarStager}: missing paths are serialised from the file system, checked against the
 *       store database's NarHash/NarSize, compressed, hashed and signed on {@code jobs} threads;
 *   <li>{@link UploadGraph}: NARs are uploaded on the target's connections and each narinfo is
 *       written only after its NAR and the narinfos of all its references.
 * </ol>
 *
 * <p>A pusher holds only its configuration: every push owns its threads and ends them before it
 * returns, and nothing is carried from one push to the next, so one pusher can serve concurrent
 * pushes.
 */
public final class CachePusher {

  /** Pushes again what a concurrent gc deleted under this push at most this many times. */
  private static final int MAX_ROUNDS = 3;

  private final NixStore store;
  private final BinaryCacheTarget target;
  private final Optional<SigningKey> key;
  private final Compression compression;
  private final int jobs;
  private final EventListener events;
  private final long inMemoryNarLimit;

  private CachePusher(Builder b) {
    this.store = b.store;
    this.target = Objects.requireNonNull(b.target, "target");
    this.key = Optional.ofNullable(b.key);
    this.compression = b.compression;
    this.jobs = b.jobs;
    this.events = b.events;
    this.inMemoryNarLimit = b.inMemoryNarLimit;
  }

  /** A builder; a target is required, a store only for {@link #push(Collection)}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link CachePusher}. */
  public static final class Builder {
    private NixStore store;
    private BinaryCacheTarget target;
    private SigningKey key;
    private Compression compression = Compression.ZSTD;
    private int jobs = Runtime.getRuntime().availableProcessors();
    private EventListener events = EventListener.NONE;
    private long inMemoryNarLimit = NarStager.IN_MEMORY_NAR;

    private Builder() {}

    /** NARs up to this size are built in memory, larger ones in a staged file (tests use 0). */
    Builder inMemoryNarLimit(long bytes) {
      this.inMemoryNarLimit = bytes;
      return this;
    }

    /** The local store the closures are read from. */
    public Builder store(NixStore store) {
      this.store = store;
      return this;
    }

    public Builder target(BinaryCacheTarget target) {
      this.target = target;
      return this;
    }

    /** The key narinfos are signed with; without one they carry only the store's signatures. */
    public Builder signingKey(SigningKey key) {
      this.key = key;
      return this;
    }

    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    /** Threads that serialise and compress NARs (default: the number of processors). */
    public Builder jobs(int jobs) {
      if (jobs < 1) {
        throw new IllegalArgumentException("jobs: must be at least 1, got " + jobs);
      }
      this.jobs = jobs;
      return this;
    }

    public Builder events(EventListener events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    public CachePusher build() {
      return new CachePusher(this);
    }
  }

  /**
   * What a push of roots did, and the closure it pushed (in dependency order).
   *
   * @param closure every path of the roots' closure
   * @param summary what the push did
   */
  public record Pushed(List<PathInfo> closure, PushSummary summary) {
    public Pushed {
      closure = List.copyOf(closure);
      Objects.requireNonNull(summary, "summary");
    }
  }

  /**
   * Pushes the closures of {@code roots}.
   *
   * @throws NixException when Nix cannot read the closure (a root is not valid locally)
   * @throws CacheException when the cache refuses or fails, or a local path is corrupt
   */
  public PushSummary push(Collection<StorePath> roots) throws NixException, CacheException {
    return push(roots, null).summary();
  }

  /**
   * Pushes the closures of {@code roots}, reading them with Nix while the first request to the
   * cache (its {@code nix-cache-info}) sets up the connection, so the two waits overlap; fills
   * {@code narInfos} as {@link #pushClosure(List, Map)} does.
   *
   * @param narInfos a thread-safe map, filled by the push (null: nothing kept)
   * @throws NixException when Nix cannot read the closure (a root is not valid locally)
   * @throws CacheException when the cache refuses or fails, or a local path is corrupt
   */
  public Pushed push(Collection<StorePath> roots, Map<StorePath, String> narInfos)
      throws NixException, CacheException {
    if (store == null) {
      throw new IllegalStateException("CachePusher: no NixStore to read closures from");
    }
    try (Pools pools = new Pools()) {
      CompletableFuture<CacheInfo> info = Futures.async(() -> CacheInfo.read(target), pools.io);
      List<PathInfo> closure = store.closure(roots);
      return new Pushed(closure, push(closure, narInfos, Futures.join(info), pools));
    }
  }

  /**
   * Pushes {@code closure}, a closed set of paths in dependency order (as {@link NixStore#closure}
   * returns it).
   */
  public PushSummary pushClosure(List<PathInfo> closure) throws CacheException {
    return pushClosure(closure, null);
  }

  /**
   * Pushes {@code closure} like {@link #pushClosure(List)}, and puts into {@code narInfos} the
   * narinfo text of every path as this push found it in the cache or wrote it, so a caller that
   * checks the signatures afterwards needs no second round of requests.
   *
   * @param narInfos a thread-safe map, filled by the push (null: nothing kept)
   */
  public PushSummary pushClosure(List<PathInfo> closure, Map<StorePath, String> narInfos)
      throws CacheException {
    try (Pools pools = new Pools()) {
      return push(closure, narInfos, CacheInfo.read(target), pools);
    }
  }

  private PushSummary push(
      List<PathInfo> closure, Map<StorePath, String> narInfos, CacheInfo info, Pools pools)
      throws CacheException {
    long start = System.nanoTime();
    info.ensure(target);
    String cleaned = target.removeStaleTemporaries();
    if (!cleaned.isEmpty()) {
      events.on(LogEvent.info(cleaned));
    }
    Presence presence = new Presence(target, events);
    int pushed = 0;
    long narBytes = 0;
    long fileBytes = 0;
    for (int round = 0; ; round++) {
      long checkStart = System.nanoTime();
      // A new cache has nothing to list (until a later round: then this push has written to it).
      Optional<Presence.Listing> listing =
          round == 0 && info.isNew() ? Optional.empty() : presence.listing(closure.size());
      List<PathInfo> missing =
          presence.missing(closure, listing, pools.io, narInfos, this::missingFound);
      long uploadStart = System.nanoTime();
      events.on(
          LogEvent.debug(
              (closure.size() - missing.size())
                  + " of "
                  + closure.size()
                  + " paths already in "
                  + target.url()
                  + " (asked "
                  + (listing.isPresent() ? "from a listing" : "path by path")
                  + " in "
                  + millis(uploadStart - checkStart)
                  + " ms)"));
      NarStager stager =
          new NarStager(
              target,
              compression,
              key,
              jobs,
              inMemoryNarLimit,
              missing.stream().mapToLong(PathInfo::narSize).sum());
      UploadGraph upload =
          new UploadGraph(
              target,
              stager,
              events,
              narInfos,
              listing.map(Presence.Listing::narSizes).orElse(null));
      try {
        upload.run(missing, pools.cpu(), pools.io);
      } finally {
        pools.closeStager(stager);
      }
      events.on(
          LogEvent.debug(
              "uploaded "
                  + missing.size()
                  + " paths in "
                  + millis(System.nanoTime() - uploadStart)
                  + " ms"));
      pushed += missing.size();
      narBytes += upload.narBytes();
      fileBytes += upload.fileBytes();
      List<PathInfo> lost =
          presence.lost(closure, missing, upload.written(), listing.isPresent(), pools.io);
      if (lost.isEmpty()) {
        break;
      }
      if (round + 1 >= MAX_ROUNDS) {
        throw new CacheException(
            CacheException.Kind.FAILURE,
            lost.size()
                + " path(s) this push refers to, such as "
                + lost.get(0).path()
                + ", keep disappearing from "
                + target.url()
                + " (is a cache gc with a zero grace period running?)");
      }
      events.on(
          LogEvent.warn(
              lost.size()
                  + " path(s) found in "
                  + target.url()
                  + " were deleted during the push (a concurrent cache gc); pushing them"
                  + " again"));
    }
    PushSummary summary =
        new PushSummary(
            pushed,
            Math.max(0, closure.size() - pushed),
            narBytes,
            fileBytes,
            Duration.ofNanos(System.nanoTime() - start));
    events.on(LogEvent.info(summary + " to " + target.url()));
    return summary;
  }

  /**
   * The first missing path means signatures to make: the signer is loaded now, while the other
   * checks run (a push that finds everything present never loads it).
   */
  private void missingFound() {
    if (key.isPresent()) {
      SigningKey.warmUpSigning();
    }
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  /**
   * The threads of one push, ended when it returns: requests on the target's connections ({@code
   * io}), staging on {@code jobs} threads (made at the first upload: a push that finds everything
   * present starts none). No work runs on the common ForkJoinPool, which is shared with the rest of
   * the JVM and sized for the CPUs, not for a cache's connections.
   */
  private final class Pools implements AutoCloseable {
    final ExecutorService io =
        Executors.newFixedThreadPool(target.concurrency(), Futures.daemon("cache-io"));
    private ExecutorService cpu;

    ExecutorService cpu() {
      if (cpu == null) {
        cpu = Executors.newFixedThreadPool(jobs, Futures.daemon("cache-nar"));
      }
      return cpu;
    }

    /**
     * Frees the stager's compressors once the staging threads are idle. After a success they are;
     * after a failure one may still be finishing a NAR after its interrupt, and then its few MiB
     * are left behind rather than freed under a running compressor.
     */
    void closeStager(NarStager stager) {
      ExecutorService staging = cpu;
      cpu = null;
      if (staging == null) {
        stager.close();
        return;
      }
      staging.shutdownNow();
      try {
        if (staging.awaitTermination(2, TimeUnit.SECONDS)) {
          stager.close();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      if (cpu != null) {
        cpu.shutdownNow();
      }
      io.shutdownNow();
    }
  }
}
