package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.nix.local.PathInfo;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Turns a store path into an upload: serialises its NAR from the file system, checks it against the
 * store database's NarHash/NarSize, compresses and hashes it, and signs its narinfo. Small NARs are
 * built in memory, large ones stream through hashing and compression into a staged file in one
 * pass. One stager serves one push; its threads' compressors are freed by {@link #close}.
 */
final class NarStager implements AutoCloseable {

  /** NARs up to this size are built in memory rather than in a staged file, by default. */
  static final long IN_MEMORY_NAR = 1 << 20;

  /**
   * A compressed NAR ready to upload, either a file in the staging directory or (small NARs) bytes
   * in memory, and its signed narinfo.
   */
  record Staged(Path file, byte[] bytes, NarInfo info) {

    /** Deletes the staged file of an upload that will not happen. */
    void discard() {
      if (file != null) {
        deleteQuietly(file);
      }
    }
  }

  private final BinaryCacheTarget target;
  private final Compression compression;
  private final Optional<SigningKey> key;
  private final int jobs;
  private final long inMemoryNarLimit;
  private final long totalBytes;
  private final Queue<Compression.Compressor> compressors = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Compression.Compressor> compressor;

  /**
   * @param jobs the threads staging runs on (a NAR that is most of the push uses them all)
   * @param totalBytes the NAR bytes of the whole push
   */
  NarStager(
      BinaryCacheTarget target,
      Compression compression,
      Optional<SigningKey> key,
      int jobs,
      long inMemoryNarLimit,
      long totalBytes) {
    this.target = target;
    this.compression = compression;
    this.key = key;
    this.jobs = jobs;
    this.inMemoryNarLimit = inMemoryNarLimit;
    this.totalBytes = totalBytes;
    this.compressor =
        ThreadLocal.withInitial(
            () -> {
              Compression.Compressor c = compression.newCompressor();
              compressors.add(c);
              return c;
            });
  }

  /** Stages {@code p}. */
  Staged stage(PathInfo p) throws CacheException {
    return p.narSize() <= inMemoryNarLimit ? stageInMemory(p) : stageToFile(p);
  }

  /**
   * A small NAR is built, hashed and compressed in memory: no temporary file to create, write, read
   * back and delete (for 1,000 small paths that was most of the staging time).
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
  private static void requireIntact(PathInfo p, NixHash narHash, long narSize)
      throws CacheException {
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
   * The narinfo of {@code p}, signed. Signing is CPU work: it is done on the staging threads, not
   * on the upload connections.
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

  /**
   * Frees the compressors' native state. Call only once the staging threads are idle (their pool
   * terminated): a compressor is not freed under a running compression.
   */
  @Override
  public void close() {
    Compression.Compressor c;
    while ((c = compressors.poll()) != null) {
      c.close();
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A leftover temporary file is never read as a cache entry.
    }
  }
}
