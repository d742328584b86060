package io.nixaurora.nix.cache;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What a push did.
 *
 * @param pushed paths whose narinfo this push wrote
 * @param skipped paths the cache already held
 * @param narBytes uncompressed NAR bytes of the pushed paths
 * @param fileBytes bytes of the NAR files as stored (compressed)
 * @param elapsed wall time of the push
 */
public record PushSummary(
    int pushed, int skipped, long narBytes, long fileBytes, Duration elapsed) {
  public PushSummary {
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** One line, such as {@code pushed 12 paths (3.4 MiB, 1.2 MiB stored), 230 present, 1.23 s}. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "pushed %d path%s (%s, %s stored), %d already present, in %.2f s",
        pushed,
        pushed == 1 ? "" : "s",
        size(narBytes),
        size(fileBytes),
        skipped,
        elapsed.toNanos() / 1e9);
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
