package io.nixaurora.cli;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.nix.local.NixJobEvaluator;
import io.nixaurora.nix.local.NixLibrary;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.Nixpkgs;
import java.nio.file.Path;
import java.util.Map;

/** Runs nix-local's job evaluator with this machine's Nix. */
final class Evaluation {
  private Evaluation() {}

  /**
   * @param nixpkgs the pinned package set for file jobs, or null ({@code <nixpkgs>} on NIX_PATH,
   *     else the offline stand-in)
   */
  static BuiltJob evaluate(
      Path nixBinDirectory, JobSource source, Nixpkgs nixpkgs, EventListener events)
      throws NixException, InvalidJobException {
    NixJobEvaluator evaluator =
        new NixJobEvaluator(new NixRunner(nixBinDirectory, Map.of()), NixLibrary.inUserCache())
            .withNixpkgs(nixpkgs);
    return evaluator.evaluate(source, events);
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
