package io.nixaurora.cli;

import io.nixaurora.core.Options;
import picocli.CommandLine.Option;

/** The options of a command that takes several jobs. */
public final class BatchOptions {

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "With several jobs: how many submissions run at once (default: ${DEFAULT-VALUE}).")
  int parallel = 4;

  @Option(
      names = "--fail-fast",
      description =
          "With several jobs: stop at the first failure (nothing is published once a job is"
              + " refused, and no submission starts once one failed). Without it one job's"
              + " failure does not stop the others.")
  boolean failFast;

  /** The facade's options. */
  Options options() throws CliException {
    if (parallel < 1) {
      throw new CliException(
          CliException.USAGE,
          "--parallel must be at least 1, got " + parallel,
          "give the number of submissions to run at once, such as --parallel 4");
    }
    return new Options(parallel, failFast);
  }
}
