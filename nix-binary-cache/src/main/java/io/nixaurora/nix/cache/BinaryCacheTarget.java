package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a binary cache's files live. Keys are relative to the cache root ({@code nix-cache-info},
 * {@code <hash>.narinfo}, {@code nar/<b32>.nar.zst}). Implementations are thread-safe; a write
 * either fully replaces the key or leaves it untouched. Small on purpose, so that an S3 target can
 * be added beside {@link FileTarget} and {@link HttpTarget}; {@link S3Target} is.
 */
public interface BinaryCacheTarget extends AutoCloseable {

  /**
   * Opens the target for {@code url}.
   *
   * @param credentials credentials for HTTP caches (from a netrc file or configuration)
   */
  static BinaryCacheTarget open(CacheUrl url, Optional<Credentials> credentials)
      throws CacheException {
    if (url.isS3()) {
      return S3Target.open(url);
    }
    return url.isFile() ? FileTarget.open(url) : new HttpTarget(url, credentials);
  }

  /**
   * Opens the existing target at {@code url} to read it: a {@code file://} cache that does not
   * exist is an error, not created.
   */
  static BinaryCacheTarget openExisting(CacheUrl url, Optional<Credentials> credentials)
      throws CacheException {
    if (url.isS3()) {
      return S3Target.open(url);
    }
    return url.isFile() ? FileTarget.openExisting(url) : new HttpTarget(url, credentials);
  }

  /** The cache's address. */
  CacheUrl url();

  /** Whether {@code key} exists. */
  boolean exists(String key) throws CacheException;

  /**
   * The size in bytes of {@code key}: empty when it does not exist, -1 when it exists but the
   * target cannot tell its size (an HTTP server that sends no Content-Length).
   */
  OptionalLong size(String key) throws CacheException;

  /** The content of a small file ({@code narinfo}, {@code nix-cache-info}), or empty if absent. */
  Optional<byte[]> read(String key) throws CacheException;

  /** A stream of a (possibly large) file; the caller closes it. */
  InputStream open(String key) throws CacheException;

  /** Writes {@code content} to {@code key}. */
  void write(String key, byte[] content, String contentType) throws CacheException;

  /**
   * Writes the file {@code staged} (made in {@link #stagingDirectory()}) to {@code key}, streaming.
   * The staged file is moved or deleted.
   */
  void writeFile(String key, Path staged, String contentType) throws CacheException;

  /** A directory for temporary files that {@link #writeFile} can consume cheaply. */
  Path stagingDirectory() throws CacheException;

  /**
   * Removes what interrupted pushes left behind (staged NAR files whose process is gone).
   *
   * @return what was removed, for the user, or an empty string
   */
  String removeStaleTemporaries();

  /** How many requests are worth running at once (1 for a local directory). */
  int concurrency();

  /** The keys of every narinfo, when the target can list them (a directory can; HTTP cannot). */
  Optional<List<String>> listNarInfos() throws CacheException;

  /**
   * A file in the cache as a listing shows it.
   *
   * @param key the key relative to the cache root ({@code x.narinfo}, {@code nar/y.nar.zst})
   * @param size its size in bytes
   * @param lastModified when it was last written
   */
  record Entry(String key, long size, Instant lastModified) {}

  /**
   * Every narinfo at the root and every file under {@code nar/}, with sizes and modification times,
   * when the target can list them (a directory and S3 can; HTTP only when the server serves a JSON
   * directory index). Garbage collection needs it.
   */
  default Optional<List<Entry>> listEntries() throws CacheException {
    return Optional.empty();
  }

  /**
   * {@link #listEntries()}, or empty when the cache holds more than {@code limit} entries: a push
   * asks for a listing only while it costs less than asking for each path. Targets that list page
   * by page stop at the limit; the others list everything and then decide.
   */
  default Optional<List<Entry>> listEntries(int limit) throws CacheException {
    return listEntries().filter(all -> all.size() <= limit);
  }

  /** When {@code key} was last written, or empty when it does not exist. */
  default Optional<Instant> lastModified(String key) throws CacheException {
    throw new CacheException(
        CacheException.Kind.FAILURE, url() + " cannot tell when its files were written");
  }

  /**
   * Deletes {@code keys}; a key that does not exist is no error. Each deletion is atomic (the file
   * is there whole or gone); a batch may stop part way.
   */
  default void delete(List<String> keys) throws CacheException {
    throw new CacheException(CacheException.Kind.FAILURE, url() + " cannot delete files");
  }

  @Override
  void close();
}
