package io.nixaurora.nix.cache;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files of pushes, named with the pushing process's id ({@code .nar-<pid>-….tmp} in a
 * file:// cache's {@code nar/}, {@code nix-aurora-push-<pid>-…} staging directories in the temp
 * directory), so the next push can tell an interrupted push's leftovers from a running push's
 * files: a leftover's process is gone (and it was not touched for {@link #IDLE}, so a push of
 * another machine sharing the cache is not mistaken for one). Files named before this scheme are
 * removed after {@link #UNNAMED_AGE}.
 */
final class Temporaries {
  /** How long a file of a process not running here must be untouched before it is removed. */
  static final Duration IDLE = Duration.ofMinutes(10);

  /** Age at which a temporary without a process id is removed. */
  static final Duration UNNAMED_AGE = Duration.ofDays(1);

  static final String NAR_PREFIX = ".nar-";
  static final String STAGING_PREFIX = "nix-aurora-push-";

  private static final Pattern NAR = Pattern.compile("\\.nar-(?:(\\d+)-)?.*\\.tmp");
  private static final Pattern STAGING = Pattern.compile("nix-aurora-push-(?:(\\d+)-)?.*");

  /** What a clean-up removed. */
  record Removed(int files, long bytes) {
    static final Removed NONE = new Removed(0, 0);

    Removed plus(Removed o) {
      return new Removed(files + o.files, bytes + o.bytes);
    }
  }

  private Temporaries() {}

  /** The prefix of this process's temporary names. */
  static String narPrefix() {
    return NAR_PREFIX + ProcessHandle.current().pid() + "-";
  }

  static String stagingPrefix() {
    return STAGING_PREFIX + ProcessHandle.current().pid() + "-";
  }

  /** Removes interrupted pushes' NAR files in a file:// cache's {@code nar/} directory. */
  static Removed cleanNarDirectory(Path nar) {
    Removed removed = Removed.NONE;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(nar, ".nar-*.tmp")) {
      for (Path p : s) {
        if (isLeftover(p, NAR)) {
          removed = removed.plus(delete(List.of(p)));
        }
      }
    } catch (IOException e) {
      // Cleaning up is best effort; the push itself does not depend on it.
    }
    return removed;
  }

  /** Removes interrupted pushes' staging directories (ours only) in the temp directory. */
  static Removed cleanStagingDirectories(Path tmp) {
    Removed removed = Removed.NONE;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp, STAGING_PREFIX + "*")) {
      for (Path dir : s) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
            || !Files.getOwner(dir).getName().equals(System.getProperty("user.name"))
            || !isLeftover(dir, STAGING)) {
          continue;
        }
        try (var files = Files.list(dir)) {
          removed = removed.plus(delete(files.toList()));
        }
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      // Best effort, as above.
    }
    return removed;
  }

  /**
   * Removes the staging directories of interrupted pushes from the JVM's temporary directory (for
   * the targets that stage NARs there: HTTP and S3).
   *
   * @return what was removed, for the user, or an empty string
   */
  static String cleanTemporaryDirectory() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Removed r = cleanStagingDirectories(tmp);
    return r.files() == 0
        ? ""
        : "removed "
            + r.files()
            + " staged file(s) of interrupted pushes ("
            + (r.bytes() >> 20)
            + " MiB) from "
            + tmp;
  }

  private static boolean isLeftover(Path p, Pattern names) throws IOException {
    Matcher m = names.matcher(p.getFileName().toString());
    if (!m.matches()) {
      return false;
    }
    Instant modified = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
    if (m.group(1) == null) {
      return modified.isBefore(Instant.now().minus(UNNAMED_AGE));
    }
    long pid = Long.parseLong(m.group(1));
    Optional<ProcessHandle> owner = ProcessHandle.of(pid);
    return owner.isEmpty() && modified.isBefore(Instant.now().minus(IDLE));
  }

  private static Removed delete(List<Path> files) {
    int n = 0;
    long bytes = 0;
    for (Path f : files) {
      try {
        long size = Files.size(f);
        if (Files.deleteIfExists(f)) {
          n++;
          bytes += size;
        }
      } catch (IOException e) {
        // Another push removed or renamed it.
      }
    }
    return new Removed(n, bytes);
  }
}
