package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.ProgressEvent;
import io.nixaurora.nix.local.PathInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Uploads the missing paths of a closure in the order substituters rely on: each path's NAR is
 * staged (on the staging threads) and uploaded (on the connections), and its narinfo is written
 * only after its NAR and the narinfos of all its references, so a push stopped at any moment leaves
 * no narinfo whose NAR or references are missing. NARs start largest first, so the longest one does
 * not begin last. The first failure cancels what has not started. One graph is one push.
 */
final class UploadGraph {

  /** NARs smaller than this are PUT without asking first: a HEAD costs as much as the PUT. */
  private static final long HEAD_BEFORE_PUT = 64 * 1024;

  private final BinaryCacheTarget target;
  private final NarStager stager;
  private final EventListener events;
  private final Map<StorePath, String> narInfos;
  private final Map<String, Long> knownNars;
  private final AtomicBoolean failed = new AtomicBoolean();
  private final AtomicReference<CacheException> firstFailure = new AtomicReference<>();
  private final AtomicLong narBytes = new AtomicLong();
  private final AtomicLong fileBytes = new AtomicLong();
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicInteger pathsDone = new AtomicInteger();
  private final AtomicReference<NarInfo> lastWritten = new AtomicReference<>();
  private final Queue<NarInfo> written = new ConcurrentLinkedQueue<>();

  /**
   * @param narInfos filled with the narinfo text of every path written (null: not kept)
   * @param knownNars NAR files a listing of the cache showed (null: no listing, every large NAR is
   *     asked for before its upload)
   */
  UploadGraph(
      BinaryCacheTarget target,
      NarStager stager,
      EventListener events,
      Map<StorePath, String> narInfos,
      Map<String, Long> knownNars) {
    this.target = target;
    this.stager = stager;
    this.events = events;
    this.narInfos = narInfos;
    this.knownNars = knownNars;
  }

  /** Uncompressed NAR bytes uploaded. */
  long narBytes() {
    return narBytes.get();
  }

  /** The narinfos written. */
  List<NarInfo> written() {
    return List.copyOf(written);
  }

  /** Compressed NAR bytes uploaded. */
  long fileBytes() {
    return fileBytes.get();
  }

  /**
   * Uploads {@code missing} (in dependency order), staging on {@code cpu} and uploading on {@code
   * io}, then reads back the narinfo written last.
   */
  void run(List<PathInfo> missing, ExecutorService cpu, ExecutorService io) throws CacheException {
    long totalBytes = missing.stream().mapToLong(PathInfo::narSize).sum();
    List<PathInfo> bySize = new ArrayList<>(missing);
    bySize.sort(Comparator.comparingLong(PathInfo::narSize).reversed());
    Map<StorePath, CompletableFuture<NarInfo>> nars = new HashMap<>();
    for (PathInfo p : bySize) {
      nars.put(
          p.path(),
          CompletableFuture.supplyAsync(() -> guarded(() -> stage(p)), cpu)
              .thenApplyAsync(s -> guarded(() -> uploadNar(p, s, totalBytes)), io));
    }
    // Then chain each narinfo after its NAR and its references' narinfos. `missing` is in
    // dependency order, so a reference's future always exists already.
    Map<StorePath, CompletableFuture<Void>> written = new HashMap<>();
    for (PathInfo p : missing) {
      List<CompletableFuture<?>> before = new ArrayList<>();
      CompletableFuture<NarInfo> nar = nars.get(p.path());
      before.add(nar);
      for (StorePath ref : p.references()) {
        CompletableFuture<Void> w = written.get(ref);
        if (w != null && !ref.equals(p.path())) {
          before.add(w);
        }
      }
      written.put(
          p.path(),
          CompletableFuture.allOf(before.toArray(CompletableFuture[]::new))
              .thenRunAsync(() -> guarded(() -> writeNarInfo(nar.join(), missing.size())), io));
    }
    try {
      Futures.join(CompletableFuture.allOf(written.values().toArray(CompletableFuture[]::new)));
    } catch (CacheException e) {
      CacheException first = firstFailure.get();
      throw first != null ? first : e;
    }
    NarInfo last = lastWritten.get();
    if (last != null) {
      readBack(last);
    }
  }

  private NarStager.Staged stage(PathInfo p) throws CacheException {
    if (failed.get()) {
      throw cancelled();
    }
    return stager.stage(p);
  }

  private NarInfo uploadNar(PathInfo p, NarStager.Staged s, long totalBytes) throws CacheException {
    NarInfo info = s.info();
    if (failed.get()) {
      s.discard();
      throw cancelled();
    }
    // NAR files are named by their hash, so one that exists with the right size already holds
    // these bytes (a truncated one is uploaded again).
    if (hasNar(info)) {
      s.discard();
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

  /**
   * Whether the cache holds {@code info}'s NAR whole. A NAR the listing did not show is uploaded
   * without asking; one it showed is asked for again (when large enough to be worth a HEAD),
   * because a concurrent gc may have deleted it since the listing.
   */
  private boolean hasNar(NarInfo info) throws CacheException {
    if (knownNars != null && !knownNars.containsKey(info.url())) {
      return false;
    }
    return target.concurrency() > 1
        && info.fileSize() >= HEAD_BEFORE_PUT
        && target.size(info.url()).orElse(-2) == info.fileSize();
  }

  private Void writeNarInfo(NarInfo info, int total) throws CacheException {
    if (failed.get()) {
      throw cancelled();
    }
    String text = info.toText();
    target.write(
        NarInfo.key(info.storePath()), text.getBytes(StandardCharsets.UTF_8), "text/x-nix-narinfo");
    if (narInfos != null) {
      narInfos.put(info.storePath(), text);
    }
    lastWritten.set(info);
    written.add(info);
    events.on(
        new ProgressEvent(
            "push",
            info.storePath().toString(),
            pathsDone.incrementAndGet(),
            total,
            ProgressEvent.Unit.PATHS));
    return null;
  }

  /**
   * Reads back what this push wrote last (a narinfo, and its NAR's size): a server that answers 200
   * to every PUT but stores nothing, or stores elsewhere, fails the push here instead of being
   * reported as published.
   */
  private void readBack(NarInfo written) throws CacheException {
    String key = NarInfo.key(written.storePath());
    var back = target.read(key);
    // Not byte-for-byte: a concurrent push (another key or compression) may have replaced it with
    // its own narinfo of the same path, which is as good.
    if (back.isEmpty() || !describes(back.get(), written, key)) {
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

  private static boolean describes(byte[] text, NarInfo written, String key) {
    try {
      return NarInfo.parse(new String(text, StandardCharsets.UTF_8), key)
          .storePath()
          .equals(written.storePath());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static CacheException cancelled() {
    return new CacheException(CacheException.Kind.FAILURE, "push cancelled");
  }

  /** Runs {@code call}; its failure is remembered (the first one wins) and cancels the rest. */
  private <T> T guarded(Futures.CacheCall<T> call) {
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
