package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@code file:///dir} cache. Every write goes to a temporary file in the destination's directory
 * and is then renamed over the key, so a reader (or a killed writer) never sees half a file; this
 * is what Nix's local binary cache store does too.
 */
public final class FileTarget implements BinaryCacheTarget {

  private final CacheUrl url;
  private final Path root;
  private final Path staging;

  private FileTarget(CacheUrl url, Path root) {
    this.url = url;
    this.root = root;
    this.staging = root.resolve("nar");
  }

  /**
   * Opens (creating the directories Nix creates: the root, {@code nar/}, {@code log/}, {@code
   * realisations/}) the cache at {@code url}.
   */
  public static FileTarget open(CacheUrl url) throws CacheException {
    Path root = url.directory();
    try {
      for (String d : List.of("nar", "log", "realisations")) {
        Files.createDirectories(root.resolve(d));
      }
    } catch (IOException e) {
      throw new CacheException(
          CacheException.Kind.FAILURE, "cannot create cache directory " + root + ": " + e, e);
    }
    return new FileTarget(url, root);
  }

  /**
   * Opens the existing cache at {@code url} for reading (verify, doctor): nothing is created, so a
   * mistyped path fails instead of becoming a new, empty and "sound" cache.
   *
   * @throws CacheException naming the directory when it does not exist or is not a directory
   */
  public static FileTarget openExisting(CacheUrl url) throws CacheException {
    Path root = url.directory();
    if (!Files.isDirectory(root)) {
      throw new CacheException(
          CacheException.Kind.FAILURE,
          "cache directory "
              + root
              + (Files.exists(root) ? " is not a directory" : " does not exist")
              + " (nothing was created)");
    }
    return new FileTarget(url, root);
  }

  @Override
  public String removeStaleTemporaries() {
    Temporaries.Removed r = Temporaries.cleanNarDirectory(staging);
    return r.files() == 0
        ? ""
        : "removed "
            + r.files()
            + " temporary file(s) of interrupted pushes ("
            + (r.bytes() >> 20)
            + " MiB) from "
            + staging;
  }

  @Override
  public CacheUrl url() {
    return url;
  }

  private Path resolve(String key) {
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("cache key '" + key + "' leaves the cache");
    }
    return p;
  }

  @Override
  public boolean exists(String key) {
    return Files.exists(resolve(key));
  }

  @Override
  public OptionalLong size(String key) throws CacheException {
    Path p = resolve(key);
    try {
      return Files.isRegularFile(p) ? OptionalLong.of(Files.size(p)) : OptionalLong.empty();
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw failure("cannot read " + p, e);
    }
  }

  @Override
  public Optional<byte[]> read(String key) throws CacheException {
    try {
      return Optional.of(Files.readAllBytes(resolve(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("cannot read " + resolve(key), e);
    }
  }

  @Override
  public InputStream open(String key) throws CacheException {
    try {
      return Files.newInputStream(resolve(key));
    } catch (IOException e) {
      throw failure("cannot read " + resolve(key), e);
    }
  }

  @Override
  public void write(String key, byte[] content, String contentType) throws CacheException {
    Path dest = resolve(key);
    Path tmp = null;
    try {
      Files.createDirectories(dest.getParent());
      tmp = tempFor(dest);
      Files.write(tmp, content);
      commit(tmp, dest);
    } catch (IOException e) {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
      throw failure("cannot write " + dest, e);
    }
  }

  @Override
  public void writeFile(String key, Path staged, String contentType) throws CacheException {
    Path dest = resolve(key);
    try {
      Files.createDirectories(dest.getParent());
      commit(staged, dest);
    } catch (IOException e) {
      deleteQuietly(staged);
      throw failure("cannot write " + dest, e);
    }
  }

  private static void commit(Path tmp, Path dest) throws IOException {
    // Readable by everyone: the cache may be served by a web server or read by a daemon.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** A new, uniquely named file beside {@code dest} (unique across processes and instances). */
  private static Path tempFor(Path dest) throws IOException {
    return Files.createTempFile(dest.getParent(), "." + dest.getFileName() + ".tmp.", "");
  }

  @Override
  public Path stagingDirectory() {
    return staging;
  }

  @Override
  public int concurrency() {
    return 1;
  }

  @Override
  public Optional<List<String>> listNarInfos() throws CacheException {
    List<String> keys = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root, "*.narinfo")) {
      for (Path p : s) {
        keys.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      throw failure("cannot list " + root, e);
    }
    keys.sort(null);
    return Optional.of(keys);
  }

  @Override
  public Optional<List<Entry>> listEntries() throws CacheException {
    List<Entry> out = new ArrayList<>();
    list(root, "*.narinfo", "", out);
    Path nar = root.resolve("nar");
    if (Files.isDirectory(nar)) {
      // Not the push's temporaries (.nar-*.tmp, .KEY.tmp.*): they are no cache entries.
      list(nar, "[!.]*", "nar/", out);
    }
    return Optional.of(out);
  }

  private static void list(Path dir, String glob, String prefix, List<Entry> out)
      throws CacheException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
      for (Path p : s) {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          if (a.isRegularFile()) {
            out.add(
                new Entry(prefix + p.getFileName(), a.size(), a.lastModifiedTime().toInstant()));
          }
        } catch (NoSuchFileException e) {
          // Deleted while listing.
        }
      }
    } catch (IOException e) {
      throw failure("cannot list " + dir, e);
    }
  }

  @Override
  public Optional<Instant> lastModified(String key) throws CacheException {
    try {
      return Optional.of(Files.getLastModifiedTime(resolve(key)).toInstant());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("cannot read " + resolve(key), e);
    }
  }

  @Override
  public void delete(List<String> keys) throws CacheException {
    for (String k : keys) {
      try {
        Files.deleteIfExists(resolve(k));
      } catch (IOException e) {
        throw failure("cannot delete " + resolve(k), e);
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort: a leftover temp file is never read as a cache entry.
    }
  }

  private static CacheException failure(String message, IOException e) {
    return new CacheException(CacheException.Kind.FAILURE, message + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {}
}
