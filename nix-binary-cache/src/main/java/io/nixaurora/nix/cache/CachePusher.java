package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.NixException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.event.ProgressEvent;
import io.nixaurora.nix.local.NixStore;
import io.nixaurora.nix.local.PathInfo;
import io.nixaurora.support.SafeText;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pushes closures to a binary cache, like {@code nix copy --to}, but in parallel:
 *
 * <ol>
 *   <li>the closure and its metadata are read from Nix once;
 *   <li>which narinfos exist is asked of the cache, in parallel (never of a local cache: a cache
 *       can lose files, and a stale "already pushed" record would then hide them);
 *   <li>missing paths, largest first, are serialised from the file system, checked against the
 *       store database's NarHash/NarSize, compressed and hashed on {@code jobs} threads, and
 *       uploaded on the target's connections;
 *   <li>each narinfo is written only after its NAR and the narinfos of all its references (the
 *       closure invariant substituters rely on), so a push killed at any moment leaves no narinfo
 *       whose NAR or references are missing.
 * </ol>
 */
public final class CachePusher {

  static final String CACHE_INFO = "nix-cache-info";
  static final String CACHE_INFO_CONTENT = "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 30\n";

  /** NARs up to this size are built in memory rather than in a staged file, by default. */
  static final long IN_MEMORY_NAR = 1 << 20;

  /** Pushes again what a concurrent gc deleted under this push at most this many times. */
  private static final int MAX_ROUNDS = 3;

  /** NARs smaller than this are PUT without asking first: a HEAD costs as much as the PUT. */
  private static final long HEAD_BEFORE_PUT = 64 * 1024;

  private final NixStore store;
  private final BinaryCacheTarget target;
  private final Optional<SigningKey> key;
  private final Compression compression;
  private final int jobs;
  private final EventListener events;
  private final long inMemoryNarLimit;

  /** The cache's nix-cache-info as {@link #closure} read it ahead for the next push, or null. */
  private volatile Optional<byte[]> cacheInfoReadAhead;

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
    private long inMemoryNarLimit = IN_MEMORY_NAR;

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
   * Pushes the closures of {@code roots}.
   *
   * @throws NixException when Nix cannot read the closure (a root is not valid locally)
   * @throws CacheException when the cache refuses or fails, or a local path is corrupt
   */
  public PushSummary push(Collection<StorePath> roots) throws NixException, CacheException {
    return pushClosure(closure(roots));
  }

  /**
   * The closure of {@code roots} in dependency order, read with Nix while the first request to the
   * cache (its {@code nix-cache-info}) sets up the connection, so the two waits overlap; the push
   * that follows uses what that request read. Nothing is written to the cache.
   *
   * @throws NixException when Nix cannot read the closure (a root is not valid locally)
   * @throws CacheException when the cache cannot be read
   */
  public List<PathInfo> closure(Collection<StorePath> roots) throws NixException, CacheException {
    if (store == null) {
      throw new IllegalStateException("CachePusher: no NixStore to read closures from");
    }
    CompletableFuture<Optional<byte[]>> info =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return target.read(CACHE_INFO);
              } catch (CacheException e) {
                throw new CompletionException(e);
              }
            });
    List<PathInfo> closure = store.closure(roots);
    try {
      cacheInfoReadAhead = info.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CacheException c) {
        throw c;
      }
      throw e;
    }
    return closure;
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
   * narinfo text of every path as this push found it in the cache or wrote it. Existence is then
   * asked with a GET of the narinfo instead of a HEAD (as cheap for a small file), so a caller that
   * checks the signatures afterwards needs no second round of requests.
   *
   * @param narInfos a thread-safe map, filled by the push (null: existence by HEAD, nothing kept)
   */
  public PushSummary pushClosure(List<PathInfo> closure, Map<StorePath, String> narInfos)
      throws CacheException {
    return pushClosure(closure, narInfos, 0);
  }

  private PushSummary pushClosure(
      List<PathInfo> closure, Map<StorePath, String> narInfos, int round) throws CacheException {
    long start = System.nanoTime();
    ensureCacheInfo();
    String cleaned = target.removeStaleTemporaries();
    if (!cleaned.isEmpty()) {
      events.on(LogEvent.info(cleaned));
    }
    ExecutorService io = Executors.newFixedThreadPool(target.concurrency(), daemon("cache-io"));
    ExecutorService cpu = Executors.newFixedThreadPool(jobs, daemon("cache-nar"));
    try {
      long checkStart = System.nanoTime();
      List<PathInfo> missing = missing(closure, io, narInfos);
      long uploadStart = System.nanoTime();
      events.on(
          LogEvent.debug(
              closure.size()
                  - missing.size()
                  + " of "
                  + closure.size()
                  + " paths already in "
                  + target.url()
                  + " (asked in "
                  + millis(uploadStart - checkStart)
                  + " ms)"));
      Upload upload = new Upload(missing, io, cpu, narInfos);
      try {
        upload.run();
      } finally {
        upload.closeCompressors();
      }
      NarInfo last = upload.lastWritten.get();
      if (last != null) {
        readBack(last);
      }
      events.on(
          LogEvent.debug(
              "uploaded "
                  + missing.size()
                  + " paths in "
                  + millis(System.nanoTime() - uploadStart)
                  + " ms"));
      List<PathInfo> lost = lostReferences(closure, missing, io);
      if (!lost.isEmpty()) {
        if (round >= MAX_ROUNDS) {
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
        PushSummary again = pushClosure(closure, narInfos, round + 1);
        return new PushSummary(
            missing.size() + again.pushed(),
            closure.size() - missing.size() - again.pushed(),
            upload.narBytes.get() + again.narBytes(),
            upload.fileBytes.get() + again.fileBytes(),
            Duration.ofNanos(System.nanoTime() - start));
      }
      PushSummary summary =
          new PushSummary(
              missing.size(),
              closure.size() - missing.size(),
              upload.narBytes.get(),
              upload.fileBytes.get(),
              Duration.ofNanos(System.nanoTime() - start));
      if (round == 0) {
        events.on(LogEvent.info(summary + " to " + target.url()));
      }
      return summary;
    } finally {
      cpu.shutdownNow();
      io.shutdownNow();
    }
  }

  /**
   * The paths this push found present and skipped, and that a path it wrote refers to, which are
   * gone now: a concurrent {@code cache gc} deleted an old, unreferenced path after this push saw
   * it (see {@link CacheGc}). Asked after every narinfo is written, so a deletion either happened
   * before this check (found here, pushed again) or after it, when the gc's own listing sees the
   * new narinfo referring to the path and writes it back. The closure's tops are asked too, also
   * when nothing was written: the job about to be submitted names them.
   */
  private List<PathInfo> lostReferences(
      List<PathInfo> closure, List<PathInfo> written, ExecutorService io) throws CacheException {
    if (written.size() == closure.size()) {
      return List.of();
    }
    Set<StorePath> writtenPaths = new HashSet<>();
    for (PathInfo p : written) {
      writtenPaths.add(p.path());
    }
    Set<StorePath> referenced = new HashSet<>();
    for (PathInfo p : written) {
      for (StorePath r : p.references()) {
        if (!writtenPaths.contains(r)) {
          referenced.add(r);
        }
      }
    }
    // And the closure's tops (the roots: process scripts), which a job submitted after this push
    // names even when the push wrote nothing.
    Set<StorePath> referencedByAny = new HashSet<>();
    for (PathInfo p : closure) {
      for (StorePath r : p.references()) {
        if (!r.equals(p.path())) {
          referencedByAny.add(r);
        }
      }
    }
    for (PathInfo p : closure) {
      if (!referencedByAny.contains(p.path()) && !writtenPaths.contains(p.path())) {
        referenced.add(p.path());
      }
    }
    List<PathInfo> skipped = new ArrayList<>();
    for (PathInfo p : closure) {
      if (referenced.contains(p.path())) {
        skipped.add(p);
      }
    }
    List<CompletableFuture<Boolean>> there = new ArrayList<>();
    for (PathInfo p : skipped) {
      there.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return target.exists(NarInfo.key(p.path()));
                } catch (CacheException e) {
                  throw new CompletionException(e);
                }
              },
              io));
    }
    List<PathInfo> lost = new ArrayList<>();
    for (int i = 0; i < skipped.size(); i++) {
      if (!join(there.get(i))) {
        lost.add(skipped.get(i));
      }
    }
    return lost;
  }

  private void ensureCacheInfo() throws CacheException {
    // Read ahead by closure() for this push only: a later push on this pusher asks again.
    Optional<byte[]> info = cacheInfoReadAhead;
    cacheInfoReadAhead = null;
    if (info == null) {
      info = target.read(CACHE_INFO);
    }
    if (info.isEmpty()) {
      target.write(
          CACHE_INFO, CACHE_INFO_CONTENT.getBytes(StandardCharsets.UTF_8), "text/x-nix-cache-info");
      return;
    }
    for (String line : new String(info.get(), StandardCharsets.UTF_8).split("\n")) {
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

  /**
   * The paths of {@code closure} the cache lacks or holds broken: an entry counts as present only
   * when its narinfo parses, describes this path, names a NAR inside the cache, and that NAR exists
   * with the narinfo's FileSize (when the cache can tell sizes). A broken entry is pushed again,
   * which repairs it: its narinfo is rewritten after the fresh NAR.
   */
  private List<PathInfo> missing(
      List<PathInfo> closure, ExecutorService io, Map<StorePath, String> narInfos)
      throws CacheException {
    AtomicBoolean signerWarming = new AtomicBoolean();
    List<CompletableFuture<Boolean>> present = new ArrayList<>(closure.size());
    for (PathInfo p : closure) {
      present.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  Optional<byte[]> text = target.read(NarInfo.key(p.path()));
                  Optional<String> broken =
                      text.isEmpty()
                          ? Optional.empty()
                          : brokenEntry(p, new String(text.get(), StandardCharsets.UTF_8));
                  boolean found = text.isPresent() && broken.isEmpty();
                  if (found && narInfos != null) {
                    narInfos.put(p.path(), new String(text.get(), StandardCharsets.UTF_8));
                  }
                  broken.ifPresent(
                      why ->
                          events.on(
                              LogEvent.warn(
                                  "repairing a broken entry in "
                                      + target.url()
                                      + ": "
                                      + why
                                      + "; pushing "
                                      + p.path()
                                      + " again")));
                  // The first missing path means signatures to make: load the signer now, while
                  // the other checks run (a push that finds everything present never loads it).
                  if (!found && key.isPresent() && !signerWarming.getAndSet(true)) {
                    SigningKey.warmUpSigning();
                  }
                  return found;
                } catch (CacheException e) {
                  throw new CompletionException(e);
                }
              },
              io));
    }
    List<PathInfo> missing = new ArrayList<>();
    for (int i = 0; i < closure.size(); i++) {
      if (!join(present.get(i))) {
        missing.add(closure.get(i));
      }
    }
    return missing;
  }

  /** Why the cache's entry for {@code p} (its narinfo {@code text}) cannot be trusted, if so. */
  private Optional<String> brokenEntry(PathInfo p, String text) throws CacheException {
    String key = NarInfo.key(p.path());
    NarInfo info;
    try {
      info = NarInfo.parse(text, key);
    } catch (IllegalArgumentException e) {
      return Optional.of("corrupt narinfo " + SafeText.escape(SafeText.cut(e.getMessage(), 200)));
    }
    if (!info.storePath().equals(p.path())) {
      return Optional.of(key + " describes " + info.storePath());
    }
    Optional<String> badUrl = NarInfo.urlProblem(info.url());
    if (badUrl.isPresent()) {
      return Optional.of(key + ": " + SafeText.escape(SafeText.cut(badUrl.get(), 300)));
    }
    OptionalLong size = target.size(info.url());
    if (size.isEmpty()) {
      return Optional.of(key + ": its NAR " + info.url() + " is missing");
    }
    if (size.getAsLong() >= 0 && info.fileSize() >= 0 && size.getAsLong() != info.fileSize()) {
      return Optional.of(
          key
              + ": its NAR "
              + info.url()
              + " has "
              + size.getAsLong()
              + " bytes, FileSize says "
              + info.fileSize());
    }
    return Optional.empty();
  }

  private static boolean describes(byte[] text, StorePath path, String key) {
    try {
      return NarInfo.parse(new String(text, StandardCharsets.UTF_8), key).storePath().equals(path);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Reads back what this push wrote last (a narinfo, and its NAR's size): a server that answers 200
   * to every PUT but stores nothing, or stores elsewhere, fails the push here instead of being
   * reported as published.
   */
  private void readBack(NarInfo written) throws CacheException {
    String key = NarInfo.key(written.storePath());
    Optional<byte[]> back = target.read(key);
    // Not byte-for-byte: a concurrent push (another key or compression) may have replaced it with
    // its own narinfo of the same path, which is as good.
    if (back.isEmpty() || !describes(back.get(), written.storePath(), key)) {
      throw new CacheException(
          CacheException.Kind.FAILURE,
          target.url()
              + " accepted "
              + key
              + " but "
              + (back.isEmpty()
                  ? "does not have it when read back"
                  : "returns something else than its narinfo when it is read back")
              + "; the server does not store what is uploaded (check that it accepts PUT and"
              + " serves the same directory)");
    }
    OptionalLong size = target.size(written.url());
    if (size.isEmpty()
        || (size.getAsLong() >= 0
            && written.fileSize() >= 0
            && size.getAsLong() != written.fileSize())) {
      throw new CacheException(
          CacheException.Kind.FAILURE,
          target.url()
              + " accepted "
              + written.url()
              + " but "
              + (size.isEmpty()
                  ? "does not have it when asked"
                  : "reports " + size.getAsLong() + " bytes instead of " + written.fileSize())
              + "; the server does not store what is uploaded");
    }
  }

  /**
   * A compressed NAR ready to upload, either a file in the staging directory or (small NARs) bytes
   * in memory, and its signed narinfo.
   */
  private record Staged(Path file, byte[] bytes, NarInfo info) {}

  /** One push of the missing paths: the futures graph and its counters. */
  private final class Upload {
    private final List<PathInfo> missing;
    private final ExecutorService io;
    private final ExecutorService cpu;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicReference<CacheException> firstFailure = new AtomicReference<>();
    private final AtomicLong narBytes = new AtomicLong();
    private final AtomicLong fileBytes = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicInteger pathsDone = new AtomicInteger();
    private final AtomicReference<NarInfo> lastWritten = new AtomicReference<>();
    private final long totalBytes;
    private final Queue<Compression.Compressor> compressors = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Compression.Compressor> compressor =
        ThreadLocal.withInitial(
            () -> {
              Compression.Compressor c = compression.newCompressor();
              compressors.add(c);
              return c;
            });

    private final Map<StorePath, String> narInfos;

    Upload(
        List<PathInfo> missing,
        ExecutorService io,
        ExecutorService cpu,
        Map<StorePath, String> narInfos) {
      this.narInfos = narInfos;
      this.missing = missing;
      this.io = io;
      this.cpu = cpu;
      this.totalBytes = missing.stream().mapToLong(PathInfo::narSize).sum();
    }

    void run() throws CacheException {
      // Start the NARs largest first so that the longest one does not begin last.
      List<PathInfo> bySize = new ArrayList<>(missing);
      bySize.sort(Comparator.comparingLong(PathInfo::narSize).reversed());
      Map<StorePath, CompletableFuture<NarInfo>> nars = new HashMap<>();
      for (PathInfo p : bySize) {
        nars.put(
            p.path(),
            CompletableFuture.supplyAsync(() -> unchecked(() -> stage(p)), cpu)
                .thenApplyAsync(s -> unchecked(() -> uploadNar(p, s)), io));
      }
      // Then chain each narinfo after its NAR and its references' narinfos. `missing` is in
      // dependency order, so a reference's future always exists already.
      Map<StorePath, CompletableFuture<Void>> written = new HashMap<>();
      for (PathInfo p : missing) {
        List<CompletableFuture<?>> before = new ArrayList<>();
        before.add(nars.get(p.path()));
        for (StorePath ref : p.references()) {
          CompletableFuture<Void> w = written.get(ref);
          if (w != null && !ref.equals(p.path())) {
            before.add(w);
          }
        }
        CompletableFuture<NarInfo> nar = nars.get(p.path());
        written.put(
            p.path(),
            CompletableFuture.allOf(before.toArray(CompletableFuture[]::new))
                .thenRunAsync(() -> unchecked(() -> writeNarInfo(nar.join())), io));
      }
      try {
        join(CompletableFuture.allOf(written.values().toArray(CompletableFuture[]::new)));
      } catch (CacheException e) {
        CacheException first = firstFailure.get();
        throw first != null ? first : e;
      }
    }

    /**
     * Frees the compression threads' native state once they are idle. After a success they are;
     * after a failure one may still be finishing a NAR after its interrupt, and then its few MiB
     * are left behind rather than freed under a running compressor.
     */
    void closeCompressors() {
      cpu.shutdownNow();
      try {
        if (!cpu.awaitTermination(2, TimeUnit.SECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      compressors.forEach(Compression.Compressor::close);
    }

    private Staged stage(PathInfo p) throws CacheException {
      if (failed.get()) {
        throw new CacheException(CacheException.Kind.FAILURE, "push cancelled");
      }
      return p.narSize() <= inMemoryNarLimit ? stageInMemory(p) : stageToFile(p);
    }

    /**
     * A small NAR is built, hashed and compressed in memory: no temporary file to create, write,
     * read back and delete (for 1,000 small paths that was most of the staging time).
     */
    private Staged stageInMemory(PathInfo p) throws CacheException {
      try {
        ByteArrayOutputStream nar = new ByteArrayOutputStream((int) p.narSize());
        NarWriter.write(Path.of(p.path().toString()), nar);
        byte[] narBytes = nar.toByteArray();
        NixHash narHash = NixHash.sha256(narBytes);
        requireIntact(p, narHash, narBytes.length);
        byte[] file = compressor.get().compress(narBytes);
        return new Staged(null, file, signedInfo(p, narHash, NixHash.sha256(file), file.length));
      } catch (IOException | IllegalArgumentException e) {
        throw new CacheException(
            CacheException.Kind.FAILURE, "cannot serialise " + p.path() + ": " + e.getMessage(), e);
      }
    }

    /** A large NAR streams through hashing and compression into a staged file, in one pass. */
    private Staged stageToFile(PathInfo p) throws CacheException {
      Path file;
      try {
        file = Files.createTempFile(target.stagingDirectory(), Temporaries.narPrefix(), ".tmp");
      } catch (IOException e) {
        throw new CacheException(
            CacheException.Kind.FAILURE,
            "cannot create a temporary file in " + stagingDir() + ": " + e.getMessage(),
            e);
      }
      try {
        HashingOutputStream fileHashing;
        HashingOutputStream narHashing;
        try (OutputStream fileOut =
            new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024)) {
          fileHashing = new HashingOutputStream(fileOut);
          // A NAR that is most of the push would leave the other cores idle at the end: let zstd
          // use them inside the stream. Otherwise the paths already run in parallel.
          int workers = p.narSize() * 2 > totalBytes && p.narSize() > (8L << 20) ? jobs : 0;
          OutputStream compressed = compression.compress(fileHashing, p.narSize(), workers);
          narHashing = new HashingOutputStream(compressed);
          try (OutputStream narOut = new BufferedOutputStream(narHashing, 64 * 1024)) {
            NarWriter.write(Path.of(p.path().toString()), narOut);
          }
        }
        requireIntact(p, narHashing.hash(), narHashing.count());
        return new Staged(
            file, null, signedInfo(p, narHashing.hash(), fileHashing.hash(), fileHashing.count()));
      } catch (IOException | IllegalArgumentException e) {
        deleteQuietly(file);
        throw new CacheException(
            CacheException.Kind.FAILURE,
            "cannot serialise " + p.path() + " into " + stagingDir() + ": " + e.getMessage(),
            e);
      } catch (CacheException e) {
        deleteQuietly(file);
        throw e;
      }
    }

    /** Refuses a path whose NAR is not what the Nix database says it is. */
    private void requireIntact(PathInfo p, NixHash narHash, long narSize) throws CacheException {
      NixHash expected = NixHash.parse(p.narHash());
      if (!narHash.equals(expected) || narSize != p.narSize()) {
        throw new CacheException(
            CacheException.Kind.FAILURE,
            "store path "
                + p.path()
                + " is corrupt: its contents hash to "
                + narHash
                + " ("
                + narSize
                + " bytes) but the Nix database says "
                + expected
                + " ("
                + p.narSize()
                + " bytes); repair it with `nix-store --verify --check-contents --repair`"
                + " (or the JVM is not running with a UTF-8 file-name encoding)");
      }
    }

    /**
     * The narinfo of {@code p}, signed. Signing is CPU work: it is done on the compression threads,
     * not on the upload connections.
     */
    private NarInfo signedInfo(PathInfo p, NixHash narHash, NixHash fileHash, long fileSize) {
      NarInfo info =
          new NarInfo(
              p.path(),
              "nar/" + fileHash.base32() + ".nar" + compression.suffix(),
              compression.nixName(),
              Optional.of(fileHash),
              fileSize,
              narHash,
              p.narSize(),
              p.references(),
              p.deriver(),
              p.signatures(),
              p.ca());
      return key.map(info::signedWith).orElse(info);
    }

    private String stagingDir() {
      try {
        return target.stagingDirectory().toString();
      } catch (CacheException e) {
        return "the staging directory";
      }
    }

    private NarInfo uploadNar(PathInfo p, Staged s) throws CacheException {
      NarInfo info = s.info();
      if (failed.get()) {
        discard(s);
        throw new CacheException(CacheException.Kind.FAILURE, "push cancelled");
      }
      // NAR files are named by their hash, so one that exists with the right size already holds
      // these bytes (a truncated one is uploaded again).
      if (target.concurrency() > 1
          && info.fileSize() >= HEAD_BEFORE_PUT
          && target.size(info.url()).orElse(-2) == info.fileSize()) {
        discard(s);
      } else if (s.bytes() != null) {
        target.write(info.url(), s.bytes(), "application/x-nix-nar");
      } else {
        target.writeFile(info.url(), s.file(), "application/x-nix-nar");
      }
      narBytes.addAndGet(p.narSize());
      fileBytes.addAndGet(info.fileSize());
      events.on(
          new ProgressEvent(
              "push",
              p.path().toString(),
              bytesDone.addAndGet(p.narSize()),
              totalBytes,
              ProgressEvent.Unit.BYTES));
      return info;
    }

    private Void writeNarInfo(NarInfo info) throws CacheException {
      if (failed.get()) {
        throw new CacheException(CacheException.Kind.FAILURE, "push cancelled");
      }
      String text = info.toText();
      target.write(
          NarInfo.key(info.storePath()),
          text.getBytes(StandardCharsets.UTF_8),
          "text/x-nix-narinfo");
      if (narInfos != null) {
        narInfos.put(info.storePath(), text);
      }
      lastWritten.set(info);
      events.on(
          new ProgressEvent(
              "push",
              info.storePath().toString(),
              pathsDone.incrementAndGet(),
              missing.size(),
              ProgressEvent.Unit.PATHS));
      return null;
    }

    private <T> T unchecked(CacheCall<T> call) {
      try {
        return call.call();
      } catch (CacheException e) {
        if (!failed.getAndSet(true)) {
          firstFailure.set(e);
        }
        throw new CompletionException(e);
      } catch (RuntimeException e) {
        failed.set(true);
        throw e;
      }
    }
  }

  @FunctionalInterface
  private interface CacheCall<T> {
    T call() throws CacheException;
  }

  /** Waits for {@code f}; the first real cause, not "push cancelled", is thrown. */
  private static <T> T join(CompletableFuture<T> f) throws CacheException {
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

  private static void discard(Staged s) {
    if (s.file() != null) {
      deleteQuietly(s.file());
    }
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A leftover temporary file is never read as a cache entry.
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
