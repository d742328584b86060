package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A target that passes every call to another; test targets override the calls they watch. */
abstract class ForwardingTarget implements BinaryCacheTarget {

  protected final BinaryCacheTarget t;

  ForwardingTarget(BinaryCacheTarget t) {
    this.t = t;
  }

  @Override
  public CacheUrl url() {
    return t.url();
  }

  @Override
  public boolean exists(String key) throws CacheException {
    return t.exists(key);
  }

  @Override
  public OptionalLong size(String key) throws CacheException {
    return t.size(key);
  }

  @Override
  public Optional<byte[]> read(String key) throws CacheException {
    return t.read(key);
  }

  @Override
  public InputStream open(String key) throws CacheException {
    return t.open(key);
  }

  @Override
  public void write(String key, byte[] content, String contentType) throws CacheException {
    t.write(key, content, contentType);
  }

  @Override
  public void writeFile(String key, Path staged, String contentType) throws CacheException {
    t.writeFile(key, staged, contentType);
  }

  @Override
  public Path stagingDirectory() throws CacheException {
    return t.stagingDirectory();
  }

  @Override
  public String removeStaleTemporaries() {
    return t.removeStaleTemporaries();
  }

  @Override
  public int concurrency() {
    return t.concurrency();
  }

  @Override
  public Optional<List<String>> listNarInfos() throws CacheException {
    return t.listNarInfos();
  }

  @Override
  public Optional<List<Entry>> listEntries() throws CacheException {
    return t.listEntries();
  }

  @Override
  public Optional<Instant> lastModified(String key) throws CacheException {
    return t.lastModified(key);
  }

  @Override
  public void delete(List<String> keys) throws CacheException {
    t.delete(keys);
  }

  @Override
  public void close() {
    t.close();
  }
}
