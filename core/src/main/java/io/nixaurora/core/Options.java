package io.nixaurora.core;

/**
 * How a deploy of several jobs runs.
 *
 * @param parallel how many submissions (or scheduler diffs) run at once, at least 1
 * @param failFast whether one job's failure stops the others: nothing is published once a job is
 *     refused, and no submission starts once one failed
 */
public record Options(int parallel, boolean failFast) {

  /** Four submissions at once; one job's failure does not stop the others. */
  public static final Options DEFAULT = new Options(4, false);

  public Options {
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
    }
  }
}
