# The one build nix-aurora runs for a job: evaluates the job file with the aurora library and a
# package set, builds every process script (and so every package the cmdlines use), and writes
# the job model as JSON into one store path, which the tool reads back.
#
# Arguments (given by the tool with --arg/--argstr):
#   jobFile    the job: a function of { aurora, pkgs, system, ... } returning a Job or Service
#   libDir     the directory holding aurora.nix and offline-pkgs.nix
#   system     the Nix system to build for (default: this machine's)
{ jobFile, libDir, system ? builtins.currentSystem }:
let
  aurora = import (libDir + "/aurora.nix");

  # <nixpkgs> when it is on NIX_PATH, else the small offline stand-in (see offline-pkgs.nix).
  hasNixpkgs = builtins.any
    (e: e.prefix == "nixpkgs"
        || (e.prefix == "" && builtins.pathExists (e.path + "/nixpkgs")))
    builtins.nixPath;
  pkgs =
    if hasNixpkgs then import <nixpkgs> { inherit system; }
    else import (libDir + "/offline-pkgs.nix") { inherit system; };

  value = import jobFile;
  job =
    if builtins.isFunction value then value { inherit aurora pkgs system; }
    else value;

  built = aurora.build { inherit job system; };

  model = {
    inherit (built) job system;
    scripts = builtins.mapAttrs (_: s: "${s}") built.scripts;
    offline_packages = !hasNixpkgs;
  };
in
aurora.textFile system
  "aurora-job-${built.job.cluster}-${built.job.role}-${built.job.environment}-${built.job.name}.json"
  (builtins.toJSON model)
