# The one build nix-aurora runs for a job: evaluates the job file with the aurora library and a
# package set, builds every process script (and so every package the cmdlines use), and writes
# the job model as JSON into one store path, which the tool reads back.
#
# Arguments (given by the tool with --arg/--argstr):
#   jobFile    the job's file: a function of { aurora, pkgs, system, ... } returning a Job or
#              Service (an absolute path, as a string or a path)
#   libDir     the directory holding aurora.nix and offline-pkgs.nix (likewise)
#   system     the Nix system to build for (default: this machine's)
{ jobFile, libDir, system ? builtins.currentSystem }:
let
  # Given as strings (--argstr), so that any file name works.
  asPath = p: if builtins.isPath p then p else /. + p;
  lib = asPath libDir;
  aurora = import (lib + "/aurora.nix");

  # <nixpkgs> when it is on NIX_PATH, else the small offline stand-in (see offline-pkgs.nix).
  hasNixpkgs = builtins.any
    (e: e.prefix == "nixpkgs"
        || (e.prefix == "" && builtins.pathExists (e.path + "/nixpkgs")))
    builtins.nixPath;
  pkgs =
    if hasNixpkgs then import <nixpkgs> { inherit system; }
    else import (lib + "/offline-pkgs.nix") { inherit system; };

  value = import (asPath jobFile);
  job =
    if builtins.isFunction value then value { inherit aurora pkgs system; }
    else value;

  built = aurora.build { inherit job system; };

  model = {
    inherit (built) job system key_positions;
    scripts = builtins.mapAttrs (_: s: "${s}") built.scripts;
    offline_packages = !hasNixpkgs;
  };
in
aurora.textFile system
  "aurora-job-${built.job.cluster}-${built.job.role}-${built.job.environment}-${built.job.name}.json"
  (builtins.toJSON model)
