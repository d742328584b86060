package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.nix.local.PathInfo;
import io.nixaurora.support.SafeText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a cache holds of a closure, asked of the cache itself every time: never of a local record,
 * since a cache can lose files and a stale "already pushed" record would then hide them (Nix's own
 * narinfo disk cache has that bug, NixOS/nix#2210).
 *
 * <p>Where the cache can list its files in one request or a few (a directory; an S3 bucket; an HTTP
 * server with a JSON directory index), the listing answers "which narinfos exist" and "which NARs
 * exist, how large" for the whole closure at once: a path whose narinfo is not listed is missing
 * without a request, and a listed narinfo's NAR is checked against the listing rather than with one
 * HEAD per NAR. Otherwise each narinfo is read and its NAR asked for, in parallel.
 */
final class Presence {

  /**
   * Closures from this size on are checked against a listing when the target is remote: below it a
   * listing of a large cache can cost more than asking for each path.
   */
  static final int LISTING_FROM_PATHS = 32;

  /** A cache with up to this many files is always worth listing (a few requests at most). */
  private static final int LISTING_MIN_LIMIT = 5_000;

  private final BinaryCacheTarget target;
  private final EventListener events;

  Presence(BinaryCacheTarget target, EventListener events) {
    this.target = target;
    this.events = events;
  }

  /**
   * What the cache lists: narinfo keys, and NAR keys with their sizes.
   *
   * @param narInfos the keys of every narinfo at the cache's root
   * @param narSizes every file under {@code nar/} and its size
   */
  record Listing(Set<String> narInfos, Map<String, Long> narSizes) {

    static Listing of(List<BinaryCacheTarget.Entry> entries) {
      Set<String> narInfos = new HashSet<>();
      Map<String, Long> narSizes = new HashMap<>();
      for (BinaryCacheTarget.Entry e : entries) {
        if (e.key().startsWith("nar/")) {
          narSizes.put(e.key(), e.size());
        } else if (e.key().endsWith(".narinfo")) {
          narInfos.add(e.key());
        }
      }
      return new Listing(Set.copyOf(narInfos), Map.copyOf(narSizes));
    }
  }

  /**
   * The cache's listing, when it is worth asking for one for a closure of {@code paths} paths and
   * the target can give it.
   */
  Optional<Listing> listing(int paths) throws CacheException {
    if (target.concurrency() > 1 && paths < LISTING_FROM_PATHS) {
      return Optional.empty();
    }
    // A listing costs a request per 1,000 entries (S3) or the cache's whole index (HTTP); asking
    // for each path costs a request per path, 16 at a time. Past about 20 entries a path the
    // listing is the slower one: stop there and ask path by path.
    return target.listEntries(Math.max(LISTING_MIN_LIMIT, 20 * paths)).map(Listing::of);
  }

  /**
   * The paths of {@code closure} the cache lacks or holds broken, in closure order. An entry counts
   * as present only when its narinfo parses, describes this path, names a NAR inside the cache, and
   * that NAR exists with the narinfo's FileSize (when the cache can tell sizes). A broken entry is
   * pushed again, which repairs it: its narinfo is rewritten after the fresh NAR.
   *
   * @param listing the cache's listing, or empty to ask for every path
   * @param narInfos filled with the narinfo text of every path found present (null: not kept)
   * @param onFirstMissing run once, when the first missing path is found (while the others are
   *     still being asked)
   */
  List<PathInfo> missing(
      List<PathInfo> closure,
      Optional<Listing> listing,
      ExecutorService io,
      Map<StorePath, String> narInfos,
      Runnable onFirstMissing)
      throws CacheException {
    Runnable once = new Once(onFirstMissing);
    List<CompletableFuture<Boolean>> present = new ArrayList<>(closure.size());
    for (PathInfo p : closure) {
      if (listing.isPresent() && !listing.get().narInfos().contains(NarInfo.key(p.path()))) {
        once.run();
        present.add(CompletableFuture.completedFuture(false));
        continue;
      }
      present.add(
          Futures.async(
              () -> {
                boolean found = present(p, listing, narInfos);
                if (!found) {
                  once.run();
                }
                return found;
              },
              io));
    }
    List<PathInfo> missing = new ArrayList<>();
    for (int i = 0; i < closure.size(); i++) {
      if (!Futures.join(present.get(i))) {
        missing.add(closure.get(i));
      }
    }
    return missing;
  }

  private boolean present(PathInfo p, Optional<Listing> listing, Map<StorePath, String> narInfos)
      throws CacheException {
    Optional<byte[]> bytes = target.read(NarInfo.key(p.path()));
    if (bytes.isEmpty()) {
      return false;
    }
    String text = new String(bytes.get(), StandardCharsets.UTF_8);
    Optional<String> broken = brokenEntry(p, text, listing);
    if (broken.isPresent()) {
      events.on(
          LogEvent.warn(
              "repairing a broken entry in "
                  + target.url()
                  + ": "
                  + broken.get()
                  + "; pushing "
                  + p.path()
                  + " again"));
      return false;
    }
    if (narInfos != null) {
      narInfos.put(p.path(), text);
    }
    return true;
  }

  /** Why the cache's entry for {@code p} (its narinfo {@code text}) cannot be trusted, if so. */
  private Optional<String> brokenEntry(PathInfo p, String text, Optional<Listing> listing)
      throws CacheException {
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
    // A NAR the listing does not show may have been written after it (a concurrent push replaced
    // this narinfo): ask for that one.
    Long listed = listing.map(l -> l.narSizes().get(info.url())).orElse(null);
    OptionalLong size = listed != null ? OptionalLong.of(listed) : target.size(info.url());
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

  /**
   * The paths this push found present and skipped, and that a path it wrote refers to, which are
   * gone now: a concurrent {@code cache gc} deleted an old, unreferenced path after this push saw
   * it (see {@link CacheGc}). Asked after every narinfo is written, so a deletion either happened
   * before this check (found here, pushed again) or after it, when the gc's own listing sees the
   * new narinfo referring to the path and writes it back. The closure's tops are asked too, also
   * when nothing was written: the job about to be submitted names them.
   */
  List<PathInfo> lost(
      List<PathInfo> closure,
      List<PathInfo> written,
      Collection<NarInfo> writtenInfos,
      boolean listed,
      ExecutorService io)
      throws CacheException {
    List<PathInfo> lost = new ArrayList<>();
    if (listed && !writtenInfos.isEmpty()) {
      Optional<List<BinaryCacheTarget.Entry>> entries =
          target.listEntries(Math.max(LISTING_MIN_LIMIT, 20 * closure.size()));
      if (entries.isPresent()) {
        lost.addAll(lostWrites(closure, writtenInfos, Listing.of(entries.get())));
      }
    }
    if (written.size() == closure.size()) {
      return lost;
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
    List<CompletableFuture<Boolean>> there = new ArrayList<>();
    for (PathInfo p : closure) {
      if (referenced.contains(p.path())) {
        skipped.add(p);
        there.add(Futures.async(() -> target.exists(NarInfo.key(p.path())), io));
      }
    }
    for (int i = 0; i < skipped.size(); i++) {
      if (!Futures.join(there.get(i))) {
        lost.add(skipped.get(i));
      }
    }
    return lost;
  }

  /**
   * The paths this push wrote whose NAR a listing taken after the last write does not show: a gc
   * that read the cache before this push rewrote a path the gc had deleted may delete that path's
   * NAR afterwards (the NAR name is the same); the entry is repaired by pushing it again.
   */
  private static List<PathInfo> lostWrites(
      List<PathInfo> closure, Collection<NarInfo> writtenInfos, Listing l) {
    Set<StorePath> broken = new HashSet<>();
    for (NarInfo i : writtenInfos) {
      if (!l.narSizes().containsKey(i.url())) {
        broken.add(i.storePath());
      }
    }
    List<PathInfo> lost = new ArrayList<>();
    for (PathInfo p : closure) {
      if (broken.contains(p.path())) {
        lost.add(p);
      }
    }
    return lost;
  }

  /** Runs an action at most once, from whichever thread comes first. */
  private static final class Once implements Runnable {
    private final AtomicBoolean done = new AtomicBoolean();
    private final Runnable action;

    Once(Runnable action) {
      this.action = action;
    }

    @Override
    public void run() {
      if (!done.getAndSet(true)) {
        action.run();
      }
    }
  }
}
