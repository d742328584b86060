package io.nixaurora.nix.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Nix side of nix-aurora, shipped as resources of this jar: {@code aurora.nix} (the job
 * library), {@code eval.nix} (the one build run for a job) and {@code offline-pkgs.nix} (the
 * offline stand-in for nixpkgs). Nix reads files, not jar entries, so they are written once into a
 * directory named after a hash of their content; a changed library gets a new directory, and two
 * processes writing at once each move a complete copy into place.
 */
public final class NixLibrary {

  /** The files of the library, in the directory {@link #directory()}. */
  public static final List<String> FILES = List.of("aurora.nix", "eval.nix", "offline-pkgs.nix");

  private final Path directory;

  private NixLibrary(Path directory) {
    this.directory = directory;
  }

  /**
   * The library written under {@code cacheRoot} (created if needed), in a subdirectory named after
   * the content's hash.
   *
   * @throws UncheckedIOException when the directory cannot be written
   */
  public static NixLibrary materialize(Path cacheRoot) {
    Objects.requireNonNull(cacheRoot, "cacheRoot");
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : FILES) {
      files.put(name, resource(name));
    }
    Path target = cacheRoot.resolve("nix-lib-" + hash(files));
    if (Files.isRegularFile(target.resolve(FILES.get(FILES.size() - 1)))) {
      return new NixLibrary(target);
    }
    try {
      Files.createDirectories(cacheRoot);
      Path staging = Files.createTempDirectory(cacheRoot, ".nix-lib-");
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Files.write(staging.resolve(f.getKey()), f.getValue());
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // Another process put an identical copy in place first.
        deleteTree(staging);
      } catch (IOException e) {
        if (!Files.isDirectory(target)) {
          throw e;
        }
        deleteTree(staging);
      }
      return new NixLibrary(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the aurora.nix library to " + cacheRoot, e);
    }
  }

  /**
   * The library in the user's cache directory: {@code $XDG_CACHE_HOME/nix-aurora}, else {@code
   * ~/.cache/nix-aurora}, else a per-user directory under {@code java.io.tmpdir}.
   */
  public static NixLibrary inUserCache() {
    return materialize(defaultCacheRoot());
  }

  static Path defaultCacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "nix-aurora");
    }
    String home = System.getProperty("user.home");
    if (home != null && !home.isEmpty() && Files.isWritable(Path.of(home))) {
      return Path.of(home, ".cache", "nix-aurora");
    }
    return Path.of(
        System.getProperty("java.io.tmpdir"), "nix-aurora-" + System.getProperty("user.name"));
  }

  /** The directory holding {@link #FILES}. */
  public Path directory() {
    return directory;
  }

  /** {@code aurora.nix}, the job library. */
  public Path auroraNix() {
    return directory.resolve("aurora.nix");
  }

  /** {@code eval.nix}, the expression nix-aurora builds for a job. */
  public Path evalNix() {
    return directory.resolve("eval.nix");
  }

  private static byte[] resource(String name) {
    try (InputStream in = NixLibrary.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the nix-local jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hash(Map<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        sha.update(f.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(f.getValue());
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
