package io.nixaurora.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Flags that override the configuration file for the command's cluster. */
public final class ClusterOptions {

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "Store provider: local, binary-cache (overrides the configuration).")
  String store;

  @Option(
      names = "--submitter",
      paramLabel = "NAME",
      description = "Submitter: cli (the aurora client), http (the scheduler's API).")
  String submitter;

  @Option(
      names = {"-S", "--set"},
      paramLabel = "KEY=VALUE",
      description = "Override one setting, e.g. --set daemon=true (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--nixpkgs",
      paramLabel = "PATH|FLAKE",
      description =
          "The job's pkgs: a nixpkgs checkout (a path) or a flake reference such as"
              + " github:NixOS/nixpkgs/<rev> (overrides the nixpkgs setting; flake jobs use their"
              + " flake's locked nixpkgs input).")
  String nixpkgs;

  /** The overrides, checked by {@link Configuration#forCluster}. */
  Map<String, String> overrides() throws CliException {
    Map<String, String> out = new LinkedHashMap<>(Configuration.overrides(store, submitter, sets));
    if (nixpkgs != null) {
      out.put(Setting.NIXPKGS.key(), nixpkgs);
    }
    return out;
  }
}
