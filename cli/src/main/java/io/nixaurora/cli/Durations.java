package io.nixaurora.cli;

import java.util.Locale;

/** Elapsed time for summary lines. */
final class Durations {
  private Durations() {}

  static String since(long startNanos) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    return s < 10
        ? String.format(Locale.ROOT, "%.2f s", s)
        : String.format(Locale.ROOT, "%.0f s", s);
  }
}
