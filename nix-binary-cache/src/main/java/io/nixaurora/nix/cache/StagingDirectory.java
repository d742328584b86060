package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The temporary directory a network target stages large NARs in: our own directory (not a shared,
 * fixed name another user could own), made at first use, named for {@link Temporaries} to find
 * after a killed push, and removed at {@link #close()}.
 */
final class StagingDirectory {

  private Path dir;

  synchronized Path path() throws CacheException {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory(Temporaries.stagingPrefix());
      } catch (IOException e) {
        throw new CacheException(
            CacheException.Kind.FAILURE, "cannot create a temporary directory: " + e, e);
      }
    }
    return dir;
  }

  synchronized void close() {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // Leftover temporary files are harmless; the next push removes them (Temporaries).
    }
    dir = null;
  }
}
