package io.nixaurora.cli;

import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * The positional arguments of {@code create}, {@code update} and {@code diff}: {@code KEY JOB} for
 * one job, or {@code CLUSTER JOB [JOB...]} for several.
 */
public final class JobArguments {

  @Parameters(
      index = "0",
      paramLabel = "KEY|CLUSTER",
      description = "CLUSTER/ROLE/ENV/NAME for one job, or a bare CLUSTER name for several.")
  String target;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "JOB",
      description =
          "A .nix file, a directory (of jobs), DIR#NAME or 'DIR#*' (every job of a flake).")
  List<String> jobs;
}
