package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.support.SafeText;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Checks a binary cache the way a substituter would, and more strictly: for every narinfo, that it
 * parses, that a trusted key signed it (unless it carries a content address), that its NAR file
 * exists with the FileHash/FileSize it states, that the decompressed NAR has its NarHash/NarSize,
 * and that the narinfos of its references exist (the closure invariant).
 */
public final class CacheVerifier {

  private final BinaryCacheTarget target;
  private final List<PublicKey> trusted;
  private final int jobs;

  /**
   * @param trusted the keys a narinfo must be signed by (at least one of them)
   * @param jobs how many NARs to check at once
   */
  public CacheVerifier(BinaryCacheTarget target, Collection<PublicKey> trusted, int jobs) {
    this.target = Objects.requireNonNull(target, "target");
    this.trusted = List.copyOf(trusted);
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs: must be at least 1, got " + jobs);
    }
    this.jobs = jobs;
  }

  /**
   * Checks every narinfo in the cache.
   *
   * @return what is wrong, one line each, sorted; empty when the cache is sound
   * @throws CacheException when the cache cannot be listed (HTTP: use {@link #verify(Collection)})
   */
  public List<String> verifyAll() throws CacheException {
    List<String> keys =
        target
            .listNarInfos()
            .orElseThrow(
                () ->
                    new CacheException(
                        CacheException.Kind.FAILURE,
                        target.url() + " cannot be listed; name the store paths to verify"));
    List<String> problems = new ArrayList<>(verifyKeys(keys));
    if (!keys.isEmpty()) {
      // An empty cache (a push killed before its first file) has nothing to be unsound about.
      problems.addAll(cacheInfoProblems());
    }
    problems.sort(null);
    return problems;
  }

  /**
   * What is wrong with the cache's {@code nix-cache-info}: missing (not a binary cache, or a
   * mistyped URL), not {@code Key: value} lines (an HTML page), or a StoreDir other than {@code
   * /nix/store} (Nix refuses to substitute from it).
   */
  public List<String> cacheInfoProblems() throws CacheException {
    Optional<byte[]> info = target.read(CacheInfo.KEY);
    if (info.isEmpty()) {
      return List.of(CacheInfo.KEY + ": missing (not a binary cache, or nothing was ever pushed)");
    }
    List<String> problems = new ArrayList<>();
    String text = new String(info.get(), StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      int colon = l.indexOf(':');
      if (colon <= 0 || l.startsWith("<")) {
        problems.add(
            CacheInfo.KEY
                + ": not 'Key: value' lines"
                + (text.stripLeading().startsWith("<") ? " (an HTML page?)" : "")
                + ", starts with '"
                + SafeText.escape(SafeText.cut(l, 60))
                + "'");
        break;
      }
      if (l.substring(0, colon).equals("StoreDir")
          && !l.substring(colon + 1).strip().equals(StorePath.STORE_DIR)) {
        problems.add(
            CacheInfo.KEY
                + ": StoreDir is "
                + SafeText.escape(SafeText.cut(l.substring(colon + 1).strip(), 100))
                + ", not "
                + StorePath.STORE_DIR
                + " (Nix will not substitute from this cache)");
      }
    }
    return problems;
  }

  /**
   * Checks the narinfos of {@code roots} and, following their references, of their closures.
   *
   * @return what is wrong, one line each, sorted; empty when every closure is sound
   */
  public List<String> verify(Collection<StorePath> roots) throws CacheException {
    List<String> problems = new ArrayList<>();
    Set<StorePath> seen = new HashSet<>();
    Deque<StorePath> todo = new ArrayDeque<>(roots);
    List<NarInfo> infos = new ArrayList<>();
    while (!todo.isEmpty()) {
      StorePath p = todo.pop();
      if (!seen.add(p)) {
        continue;
      }
      Optional<byte[]> text = target.read(NarInfo.key(p));
      if (text.isEmpty()) {
        problems.add(p + ": no narinfo in the cache");
        continue;
      }
      try {
        NarInfo info =
            NarInfo.parse(new String(text.get(), StandardCharsets.UTF_8), NarInfo.key(p));
        if (!info.storePath().equals(p)) {
          problems.add(p + ": its narinfo " + NarInfo.key(p) + " describes " + info.storePath());
          continue;
        }
        infos.add(info);
        todo.addAll(info.references());
      } catch (IllegalArgumentException e) {
        problems.add(p + ": corrupt narinfo: " + e.getMessage());
      }
    }
    problems.addAll(check(infos, false));
    if (!infos.isEmpty()) {
      problems.addAll(cacheInfoProblems());
    }
    problems.sort(null);
    return problems;
  }

  private List<String> verifyKeys(List<String> keys) throws CacheException {
    List<String> problems = new ArrayList<>();
    List<NarInfo> infos = new ArrayList<>();
    for (String key : keys) {
      Optional<byte[]> text = target.read(key);
      if (text.isEmpty()) {
        continue; // removed while we looked
      }
      try {
        NarInfo info = NarInfo.parse(new String(text.get(), StandardCharsets.UTF_8), key);
        if (!NarInfo.key(info.storePath()).equals(key)) {
          problems.add(
              key + ": describes " + info.storePath() + ", whose narinfo has another name");
          continue;
        }
        infos.add(info);
      } catch (IllegalArgumentException e) {
        problems.add(key + ": corrupt narinfo: " + e.getMessage());
      }
    }
    problems.addAll(check(infos, true));
    problems.sort(null);
    return problems;
  }

  private List<String> check(List<NarInfo> infos, boolean checkReferences) throws CacheException {
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    try {
      List<CompletableFuture<List<String>>> futures = new ArrayList<>();
      for (NarInfo info : infos) {
        futures.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return checkOne(info, checkReferences);
                  } catch (CacheException e) {
                    throw new CompletionException(e);
                  }
                },
                pool));
      }
      List<String> problems = new ArrayList<>();
      for (CompletableFuture<List<String>> f : futures) {
        try {
          problems.addAll(f.join());
        } catch (CompletionException e) {
          if (e.getCause() instanceof CacheException ce) {
            throw ce;
          }
          throw e;
        }
      }
      return problems;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> checkOne(NarInfo info, boolean checkReferences) throws CacheException {
    List<String> problems = new ArrayList<>();
    StorePath p = info.storePath();
    if (trusted.stream().noneMatch(info::isSignedBy) && info.ca().isEmpty()) {
      problems.add(
          p
              + ": not signed by "
              + (trusted.isEmpty()
                  ? "any trusted key (none given)"
                  : trusted.stream().map(PublicKey::name).collect(Collectors.joining(" or ")))
              + (info.signatures().isEmpty() ? " (unsigned)" : ""));
    }
    if (checkReferences) {
      for (StorePath ref : info.references()) {
        if (!ref.equals(p) && !target.exists(NarInfo.key(ref))) {
          problems.add(p + ": reference " + ref + " has no narinfo (closure incomplete)");
        }
      }
    }
    Optional<String> badUrl = NarInfo.urlProblem(info.url());
    if (badUrl.isPresent()) {
      // Reported, never followed: a hostile narinfo must not make verify read outside the cache.
      problems.add(p + ": " + SafeText.escape(SafeText.cut(badUrl.get(), 300)));
      return problems;
    }
    if (!target.exists(info.url())) {
      problems.add(p + ": NAR file " + info.url() + " is missing");
      return problems;
    }
    try (InputStream raw = target.open(info.url())) {
      HashingInputStream file = new HashingInputStream(raw);
      HashingInputStream nar = new HashingInputStream(decompress(info.compression(), file));
      nar.transferTo(OutputStream.nullOutputStream());
      // Read what the decompressor left, so that FileHash covers the whole file.
      file.transferTo(OutputStream.nullOutputStream());
      if (info.fileHash().isPresent() && !info.fileHash().get().equals(file.hash())) {
        problems.add(
            p
                + ": FileHash "
                + info.fileHash().get()
                + " but "
                + info.url()
                + " hashes to "
                + file.hash());
      }
      if (info.fileSize() >= 0 && info.fileSize() != file.count()) {
        problems.add(
            p
                + ": FileSize "
                + info.fileSize()
                + " but "
                + info.url()
                + " has "
                + file.count()
                + " bytes");
      }
      NixHash narHash = nar.hash();
      if (!narHash.equals(info.narHash())) {
        problems.add(p + ": NarHash " + info.narHash() + " but the NAR hashes to " + narHash);
      }
      if (nar.count() != info.narSize()) {
        problems.add(
            p + ": NarSize " + info.narSize() + " but the NAR has " + nar.count() + " bytes");
      }
    } catch (IOException e) {
      problems.add(p + ": cannot read NAR " + info.url() + ": " + e.getMessage());
    }
    return problems;
  }

  private static InputStream decompress(String compression, InputStream in) throws IOException {
    switch (compression) {
      case "none", "" -> {
        return in;
      }
      case "zstd" -> {
        return Compression.ZSTD.decompress(in);
      }
      case "xz" -> {
        return Compression.XZ.decompress(in);
      }
      default -> {
        // Nix hands every other name to libarchive's auto-detection; do the same.
        return new CompressorStreamFactory()
            .createCompressorInputStream(new BufferedInputStream(in));
      }
    }
  }
}
