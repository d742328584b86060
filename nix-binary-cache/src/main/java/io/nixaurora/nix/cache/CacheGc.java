package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.event.ProgressEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Garbage collection of a binary cache, rooted in what the caller says is live (the cluster's job
 * configurations, paths named by hand) and in everything pushed within the grace period. The live
 * set is the closure of the roots through the cache's own narinfos ({@code References}): no local
 * Nix store is read.
 *
 * <h2>Why a push running at the same time loses nothing</h2>
 *
 * A push writes each NAR before its narinfo, and a narinfo only after its references' narinfos; it
 * skips paths whose narinfo (and NAR) it finds present. Collection works in three phases, each
 * ordered so that a kill at any moment leaves a cache whose every narinfo has its NAR and its
 * references' narinfos:
 *
 * <ol>
 *   <li><b>Narinfos</b>, referrers before their references (level by level: no narinfo deleted in a
 *       level is referred to by one that remains). Paths pushed within the grace period are roots,
 *       so a push's new paths are never candidates while it runs (pushes take minutes, the grace
 *       period days). The danger is an <i>old</i> dead path X that a running push found present and
 *       skipped, and then referred to from a new narinfo Y. Either Y was written before the listing
 *       that follows the deletions (the gc sees Y, new and so a root, reaching X, and writes X's
 *       narinfo back from the text it read: its NAR is still there, NARs go later), or Y was
 *       written after that listing, hence after X was deleted, and the push's own final check (it
 *       reads every narinfo of its closure again after writing, and pushes what is missing) finds X
 *       gone and pushes it again.
 *   <li><b>NARs</b> of the deleted narinfos, unless a narinfo in a listing taken after phase 1 (and
 *       the narinfos kept) names them: two paths with identical contents share a NAR file.
 *   <li><b>Orphan NARs</b> (named by no narinfo, left by killed pushes) older than the grace
 *       period: a running push's NAR whose narinfo is not written yet is younger than that.
 * </ol>
 *
 * The one window left is a listing-to-delete gap of a single request in phase 2: a push that
 * writes, in that gap, a narinfo for new contents identical to a deleted path's NAR. The push's
 * final check repairs it when it runs after the deletion.
 *
 * <p>A push that writes nothing (every path of its closure is already there, old and unreferenced:
 * a job re-created with an old configuration, a rollback) has no new narinfo for the gc to see. The
 * push checks its closure's tops once more after its last write (and pushes what is gone); the gc,
 * with a {@link RootsSource}, reads the scheduler's roots again {@link #DEFAULT_SETTLE} after
 * deleting narinfos and writes back what they reach. A path is lost only if the push's last check
 * and the gc's deletion of it both fall before the gc's second reading, and the job reaches the
 * scheduler after it: a create that takes longer than the settle time from its last check to the
 * scheduler's answer.
 */
public final class CacheGc {

  /** The default grace period: everything pushed within it is kept. */
  public static final Duration DEFAULT_GRACE = Duration.ofDays(3);

  /**
   * How long after deleting narinfos the roots are read again: longer than a create takes from its
   * push's last check to the scheduler's answer.
   */
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(30);

  private final BinaryCacheTarget target;
  private final Set<StorePath> roots;
  private final Duration grace;
  private final boolean delete;
  private final EventListener events;
  private final Supplier<Instant> clock;
  private final RootsSource rootsSource;
  private final Duration settle;

  /** Where the roots came from, read once more after the narinfos are deleted. */
  @FunctionalInterface
  public interface RootsSource {
    /**
     * The live roots now.
     *
     * @throws CacheException when they cannot be read (the gc then stops before deleting NARs)
     */
    Set<StorePath> read() throws CacheException;
  }

  private CacheGc(Builder b) {
    this.target = Objects.requireNonNull(b.target, "target");
    this.roots = Set.copyOf(b.roots);
    this.grace = b.grace;
    this.delete = b.delete;
    this.events = b.events;
    this.clock = b.clock;
    this.rootsSource = b.rootsSource;
    this.settle = b.settle;
  }

  private static void sleep(Duration d) throws CacheException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException(CacheException.Kind.FAILURE, "cache gc was interrupted", e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link CacheGc}. */
  public static final class Builder {
    private BinaryCacheTarget target;
    private final Set<StorePath> roots = new LinkedHashSet<>();
    private Duration grace = DEFAULT_GRACE;
    private boolean delete;
    private EventListener events = EventListener.NONE;
    private Supplier<Instant> clock = Instant::now;
    private RootsSource rootsSource;
    private Duration settle = DEFAULT_SETTLE;

    private Builder() {}

    /**
     * Where the roots came from (the scheduler): read again {@code settle} after the narinfos are
     * deleted, so that a job submitted meanwhile keeps its paths.
     */
    public Builder rootsSource(RootsSource source, Duration settle) {
      this.rootsSource = Objects.requireNonNull(source, "source");
      this.settle = Objects.requireNonNull(settle, "settle");
      return this;
    }

    public Builder target(BinaryCacheTarget target) {
      this.target = target;
      return this;
    }

    /** Live paths (their closures in the cache are kept). */
    public Builder roots(Collection<StorePath> roots) {
      this.roots.addAll(roots);
      return this;
    }

    /** Everything written within this period is a root. */
    public Builder grace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace period: must not be negative, got " + grace);
      }
      this.grace = grace;
      return this;
    }

    /** Deletes (true) or only reports (false, the default). */
    public Builder delete(boolean delete) {
      this.delete = delete;
      return this;
    }

    public Builder events(EventListener events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** The clock the grace period is measured with (tests). */
    Builder clock(Supplier<Instant> clock) {
      this.clock = clock;
      return this;
    }

    public CacheGc build() {
      return new CacheGc(this);
    }
  }

  /**
   * What a collection found (and, unless a dry run, deleted).
   *
   * @param dryRun whether nothing was deleted
   * @param paths narinfos in the cache
   * @param livePaths narinfos kept
   * @param deadNarInfos narinfos that go (or went), unreadable ones included
   * @param deadPaths the store paths whose narinfos go (or went), of those that could be read
   * @param nars NAR files that go (or went), of dead paths and orphans
   * @param bytes the size of the files that go (or went)
   * @param restored narinfos written back because a concurrent push referred to them
   * @param missingReferences references of live paths that have no narinfo (a broken cache)
   */
  public record Report(
      boolean dryRun,
      int paths,
      int livePaths,
      int deadNarInfos,
      List<StorePath> deadPaths,
      List<String> nars,
      long bytes,
      int restored,
      int missingReferences) {

    public Report {
      deadPaths = List.copyOf(deadPaths);
      nars = List.copyOf(nars);
    }

    /** One line. */
    public String summary() {
      return (dryRun ? "would delete " : "deleted ")
          + deadNarInfos
          + " of "
          + paths
          + " paths and "
          + nars.size()
          + " NAR files ("
          + bytes
          + " bytes); "
          + livePaths
          + " paths live"
          + (restored > 0 ? ", " + restored + " restored for a concurrent push" : "");
    }
  }

  private record Listing(
      Map<String, BinaryCacheTarget.Entry> narInfos, Map<String, BinaryCacheTarget.Entry> nars) {}

  private Listing list() throws CacheException {
    List<BinaryCacheTarget.Entry> entries =
        target
            .listEntries()
            .orElseThrow(
                () ->
                    new CacheException(
                        CacheException.Kind.FAILURE,
                        target.url()
                            + " cannot be listed, and a cache's garbage can only be found by"
                            + " listing it (for an HTTP cache, serve a JSON directory index:"
                            + " nginx `autoindex on; autoindex_format json;`)"));
    Map<String, BinaryCacheTarget.Entry> narInfos = new HashMap<>();
    Map<String, BinaryCacheTarget.Entry> nars = new HashMap<>();
    for (BinaryCacheTarget.Entry e : entries) {
      if (e.key().startsWith("nar/")) {
        nars.put(e.key(), e);
      } else if (e.key().endsWith(".narinfo") && !e.key().contains("/")) {
        narInfos.put(e.key(), e);
      }
    }
    return new Listing(narInfos, nars);
  }

  /**
   * Collects (or, by default, reports what would go).
   *
   * @throws CacheException when the cache cannot be listed, read or written; nothing live is ever
   *     deleted on a failure (deletion stops)
   */
  public Report run() throws CacheException {
    Instant start = clock.get();
    Instant cutoff = start.minus(grace);
    Listing listing = list();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, target.concurrency()));
    try {
      Map<String, Optional<NarInfo>> infos = readAll(listing.narInfos().keySet(), pool);
      Map<String, NarInfo> byKey = new HashMap<>();
      infos.forEach((k, v) -> v.ifPresent(i -> byKey.put(k, i)));

      // Roots: the caller's, and every narinfo written within the grace period.
      Deque<String> todo = new ArrayDeque<>();
      for (StorePath r : roots) {
        todo.add(NarInfo.key(r));
      }
      for (BinaryCacheTarget.Entry e : listing.narInfos().values()) {
        if (!e.lastModified().isBefore(cutoff)) {
          todo.add(e.key());
        }
      }
      Set<String> live = new HashSet<>();
      int missing = 0;
      while (!todo.isEmpty()) {
        String k = todo.poll();
        if (!live.add(k)) {
          continue;
        }
        if (!listing.narInfos().containsKey(k)) {
          live.remove(k);
          missing++;
          continue;
        }
        NarInfo info = byKey.get(k);
        if (info == null) {
          // Unreadable but recent (or a root): keep it, its references are unknown.
          continue;
        }
        for (StorePath ref : info.references()) {
          todo.add(NarInfo.key(ref));
        }
      }
      // Roots the cache does not hold are not "missing references".
      for (StorePath r : roots) {
        if (!listing.narInfos().containsKey(NarInfo.key(r))) {
          missing--;
        }
      }

      List<String> dead = new ArrayList<>();
      for (String k : listing.narInfos().keySet()) {
        if (!live.contains(k)) {
          dead.add(k);
        }
      }
      List<List<String>> levels = levels(dead, byKey);

      Set<String> liveNars = new HashSet<>();
      for (String k : live) {
        NarInfo i = byKey.get(k);
        if (i != null) {
          liveNars.add(i.url());
        }
      }
      Set<String> namedNars = new HashSet<>();
      for (NarInfo i : byKey.values()) {
        namedNars.add(i.url());
      }
      // A live narinfo that cannot be read names a NAR we do not know: no file may then be
      // taken for an orphan.
      boolean liveUnreadable = false;
      for (String k : live) {
        if (!byKey.containsKey(k)) {
          liveUnreadable = true;
        }
      }
      if (liveUnreadable) {
        events.on(
            LogEvent.warn(
                "some live narinfos cannot be read; NAR files no narinfo names are kept this time"));
      }
      List<String> deadNars = new ArrayList<>();
      List<String> orphans = new ArrayList<>();
      for (BinaryCacheTarget.Entry e : listing.nars().values()) {
        if (liveNars.contains(e.key())) {
          continue;
        }
        if (namedNars.contains(e.key())) {
          deadNars.add(e.key());
        } else if (!liveUnreadable && e.lastModified().isBefore(cutoff)) {
          orphans.add(e.key());
        }
      }
      long bytes = 0;
      for (String k : dead) {
        bytes += listing.narInfos().get(k).size();
      }
      for (String n : deadNars) {
        bytes += listing.nars().get(n).size();
      }
      for (String n : orphans) {
        bytes += listing.nars().get(n).size();
      }
      List<StorePath> deadPaths = new ArrayList<>();
      for (String k : dead) {
        NarInfo i = byKey.get(k);
        if (i != null) {
          deadPaths.add(i.storePath());
        }
      }
      deadPaths.sort(null);
      List<String> allNars = new ArrayList<>(deadNars);
      allNars.addAll(orphans);
      allNars.sort(null);
      if (!delete) {
        return new Report(
            true,
            listing.narInfos().size(),
            live.size(),
            dead.size(),
            deadPaths,
            allNars,
            bytes,
            0,
            Math.max(0, missing));
      }

      // Phase 1: narinfos, referrers first.
      long total = dead.size() + allNars.size();
      long done = 0;
      for (List<String> level : levels) {
        target.delete(level);
        done += level.size();
        events.on(new ProgressEvent("gc", "narinfos", done, total, ProgressEvent.Unit.PATHS));
      }
      // A push that found an old dead path present and referred to it from a new narinfo: write
      // the path back (references first), from the text read above (its NAR is still there).
      // A job submitted while the narinfos went, whose paths its push found present (a job
      // re-created with an old configuration, a rollback): wait for submissions under way to
      // land, read the roots again, and write back what they reach (their NARs are still there).
      Set<StorePath> lateRoots = Set.of();
      if (rootsSource != null) {
        sleep(settle);
        lateRoots = rootsSource.read();
      }
      Listing after = list();
      Map<String, Optional<NarInfo>> fresh = new HashMap<>();
      Set<String> deadSet = new HashSet<>(dead);
      // New narinfos, and dead ones a push wrote again after phase 1 deleted them (it found the
      // path missing and pushed it: its narinfo names the NAR this gc was about to delete).
      List<String> unseen = new ArrayList<>();
      for (String k : after.narInfos().keySet()) {
        if (!listing.narInfos().containsKey(k) || deadSet.contains(k)) {
          unseen.add(k);
        }
      }
      fresh.putAll(readAll(unseen, pool));
      List<String> restore = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Optional<NarInfo> n : fresh.values()) {
        if (n.isPresent()) {
          for (StorePath ref : n.get().references()) {
            collectRestore(NarInfo.key(ref), deadSet, byKey, after, seen, restore);
          }
        }
      }
      for (StorePath r : lateRoots) {
        collectRestore(NarInfo.key(r), deadSet, byKey, after, seen, restore);
      }
      for (String k : restore) {
        NarInfo i = byKey.get(k);
        target.write(k, i.toText().getBytes(StandardCharsets.UTF_8), "text/x-nix-narinfo");
      }
      if (!restore.isEmpty()) {
        events.on(
            LogEvent.info(
                "kept "
                    + restore.size()
                    + " path(s) a concurrent push refers to (their narinfos were written back)"));
      }
      // Phase 2 and 3: NARs that no narinfo names any more.
      Set<String> stillNamed = new HashSet<>(liveNars);
      for (Optional<NarInfo> n : fresh.values()) {
        n.ifPresent(i -> stillNamed.add(i.url()));
      }
      for (String k : restore) {
        stillNamed.add(byKey.get(k).url());
      }
      List<String> narsToDelete = new ArrayList<>();
      for (String n : deadNars) {
        if (!stillNamed.contains(n)) {
          narsToDelete.add(n);
        }
      }
      for (String n : orphans) {
        if (!stillNamed.contains(n)) {
          narsToDelete.add(n);
        }
      }
      for (int i = 0; i < narsToDelete.size(); i += 1000) {
        List<String> batch = narsToDelete.subList(i, Math.min(narsToDelete.size(), i + 1000));
        target.delete(batch);
        done += batch.size();
        events.on(new ProgressEvent("gc", "nars", done, total, ProgressEvent.Unit.PATHS));
      }
      if (target instanceof S3Target s3) {
        int aborted = s3.abortStaleUploads(cutoff);
        if (aborted > 0) {
          events.on(LogEvent.info("aborted " + aborted + " stale multipart upload(s)"));
        }
      }
      List<StorePath> gone = new ArrayList<>();
      for (StorePath p : deadPaths) {
        if (!restore.contains(NarInfo.key(p))) {
          gone.add(p);
        }
      }
      return new Report(
          false,
          listing.narInfos().size(),
          live.size() + restore.size(),
          dead.size() - restore.size(),
          gone,
          narsToDelete,
          bytes,
          restore.size(),
          Math.max(0, missing));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Adds {@code key} and its deleted references to {@code out}, references first. */
  private static void collectRestore(
      String key,
      Set<String> deadSet,
      Map<String, NarInfo> byKey,
      Listing after,
      Set<String> seen,
      List<String> out) {
    if (!deadSet.contains(key) || after.narInfos().containsKey(key) || !seen.add(key)) {
      return;
    }
    NarInfo i = byKey.get(key);
    if (i == null) {
      return;
    }
    for (StorePath ref : i.references()) {
      if (!ref.equals(i.storePath())) {
        collectRestore(NarInfo.key(ref), deadSet, byKey, after, seen, out);
      }
    }
    out.add(key);
  }

  /**
   * {@code dead} in levels to delete one after the other: the first holds the narinfos no other
   * dead narinfo refers to, each next one those referred to only from earlier levels. Within a
   * level no narinfo refers to another, so a level may be deleted in any order, in one batch.
   */
  static List<List<String>> levels(List<String> dead, Map<String, NarInfo> byKey) {
    Set<String> deadSet = new HashSet<>(dead);
    Map<String, Integer> referrers = new HashMap<>();
    Map<String, List<String>> refs = new HashMap<>();
    for (String k : dead) {
      referrers.putIfAbsent(k, 0);
      NarInfo i = byKey.get(k);
      List<String> rs = new ArrayList<>();
      if (i != null) {
        for (StorePath r : i.references()) {
          String rk = NarInfo.key(r);
          if (!rk.equals(k) && deadSet.contains(rk)) {
            rs.add(rk);
            referrers.merge(rk, 1, Integer::sum);
          }
        }
      }
      refs.put(k, rs);
    }
    List<List<String>> levels = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String k : dead) {
      if (referrers.get(k) == 0) {
        current.add(k);
      }
    }
    int placed = 0;
    while (!current.isEmpty()) {
      current.sort(null);
      levels.add(current);
      placed += current.size();
      List<String> next = new ArrayList<>();
      for (String k : current) {
        for (String r : refs.get(k)) {
          if (referrers.merge(r, -1, Integer::sum) == 0) {
            next.add(r);
          }
        }
      }
      current = next;
    }
    if (placed != dead.size()) {
      // A reference cycle among narinfos (impossible in a store, possible in a forged cache):
      // delete the rest last, together.
      List<String> rest = new ArrayList<>();
      Set<String> done = new HashSet<>();
      levels.forEach(done::addAll);
      for (String k : dead) {
        if (!done.contains(k)) {
          rest.add(k);
        }
      }
      levels.add(rest);
    }
    return levels;
  }

  private Map<String, Optional<NarInfo>> readAll(Collection<String> keys, ExecutorService pool)
      throws CacheException {
    Map<String, CompletableFuture<Optional<NarInfo>>> futures = new HashMap<>();
    for (String k : keys) {
      futures.put(
          k,
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  Optional<byte[]> text = target.read(k);
                  if (text.isEmpty()) {
                    return Optional.<NarInfo>empty();
                  }
                  try {
                    return Optional.of(
                        NarInfo.parse(new String(text.get(), StandardCharsets.UTF_8), k));
                  } catch (IllegalArgumentException e) {
                    events.on(LogEvent.warn("unreadable narinfo " + k + ": " + e.getMessage()));
                    return Optional.<NarInfo>empty();
                  }
                } catch (CacheException e) {
                  throw new CompletionException(e);
                }
              },
              pool));
    }
    Map<String, Optional<NarInfo>> out = new HashMap<>();
    long n = 0;
    for (Map.Entry<String, CompletableFuture<Optional<NarInfo>>> e : futures.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().join());
      } catch (CompletionException ex) {
        if (ex.getCause() instanceof CacheException ce) {
          throw ce;
        }
        throw ex;
      }
      if (++n % 500 == 0) {
        events.on(
            new ProgressEvent("gc-read", "narinfos", n, keys.size(), ProgressEvent.Unit.PATHS));
      }
    }
    return out;
  }
}
