package io.nixaurora.cli;

import io.nixaurora.api.JobEvaluator;
import io.nixaurora.api.NixException;
import io.nixaurora.nix.local.FlakeJobNames;
import io.nixaurora.nix.local.NixJobEvaluator;
import io.nixaurora.nix.local.NixLibrary;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.Nixpkgs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs nix-local's job evaluator with this machine's Nix. */
final class Evaluation {
  private Evaluation() {}

  /**
   * nix-local's job evaluator with this machine's Nix.
   *
   * @param nixpkgs the pinned package set for file jobs, or null ({@code <nixpkgs>} on NIX_PATH,
   *     else the offline stand-in)
   */
  static JobEvaluator evaluator(Path nixBinDirectory, Nixpkgs nixpkgs) {
    return new NixJobEvaluator(new NixRunner(nixBinDirectory, Map.of()), NixLibrary.inUserCache())
        .withNixpkgs(nixpkgs);
  }

  /** The names of the jobs of a flake's {@code auroraJobs.<system>}, sorted. */
  static List<String> flakeJobNames(Path nixBinDirectory, String flakeRef) throws NixException {
    return FlakeJobNames.list(new NixRunner(nixBinDirectory, Map.of()), flakeRef);
  }

  /**
   * The {@code nixpkgs} setting as nix-local reads it: a relative path is relative to the
   * configuration file that names it, or to the working directory when given on the command line.
   *
   * @return null when the setting is not set
   * @throws CliException (exit 3) naming the setting and where it came from
   */
  static Nixpkgs nixpkgs(ClusterConfig config, Environment env) throws CliException {
    var value = config.get(Setting.NIXPKGS);
    if (value.isEmpty()) {
      return null;
    }
    String source = config.sources().getOrDefault(Setting.NIXPKGS.key(), "command line");
    boolean fromFile = !source.equals("command line") && config.file().isPresent();
    Path base =
        fromFile ? config.file().get().toAbsolutePath().getParent() : env.workingDirectory();
    try {
      return Nixpkgs.parse(value.get(), base, env.home());
    } catch (IllegalArgumentException e) {
      throw CliException.configuration(
          (fromFile ? "nixpkgs (" + source + ")" : "--nixpkgs " + value.get())
              + ": "
              + e.getMessage(),
          "give a nixpkgs checkout (a directory holding default.nix) or a flake reference"
              + " such as github:NixOS/nixpkgs/<rev>");
    }
  }
}
