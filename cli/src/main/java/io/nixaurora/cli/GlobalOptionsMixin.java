package io.nixaurora.cli;

import javax.inject.Inject;
import picocli.CommandLine.Option;

/**
 * The shared options, mixed into the root command and every subcommand. The setters only ever turn
 * a flag on, so picocli resetting a command's options while it parses a subcommand cannot undo a
 * flag given earlier on the line.
 */
public final class GlobalOptionsMixin {
  private final GlobalOptions options;

  @Inject
  GlobalOptionsMixin(GlobalOptions options) {
    this.options = options;
  }

  @Option(
      names = {"-v", "--verbose"},
      description = "Show debug output: chosen backends, Nix commands, every problem in full.")
  void verbose(boolean v) {
    options.verbose(v);
  }

  @Option(
      names = {"-q", "--quiet"},
      description = "Show only errors on stderr (no progress, no summary).")
  void quiet(boolean q) {
    options.quiet(q);
  }

  @Option(
      names = "--stacktrace",
      description = "Print the stack trace of an error (for bug reports).")
  void stacktrace(boolean s) {
    options.stacktrace(s);
  }

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Configuration file (default: ./nix-aurora.json, else ~/.config/nix-aurora/config.json).")
  void config(String file) {
    options.configFile(file);
  }
}
