# The one build nix-aurora runs for a job: evaluates the job with the aurora library and a package
# set, builds every process script (and so every package the cmdlines use), and writes the job
# model as JSON into one store path, which the tool reads back: the built path holds
# {"model_file": PATH}, PATH the model (or, for a missing flake job, {"flake_error": ...}).
#
# Arguments (given by the tool with --argstr; "" means not given):
#   jobFile       the job's file: a function of { aurora, pkgs, system, ... } returning a Job or
#                 Service (an absolute path)
#   flake         or a flake reference (already checked against its flake.lock by the tool) and
#   flakeJob      the job's name in it: the output auroraJobs.<system>.<flakeJob>, a job function
#                 or a job. Its pkgs is the flake's `nixpkgs` input (legacyPackages.<system>, else
#                 the input imported). Needs --extra-experimental-features 'nix-command flakes'.
#   jobsFile      or several jobs at once (issue 15): a JSON file holding a list of
#                 {"jobFile": …} and {"flake": …, "flakeJob": …}, built in ONE evaluation and
#                 one build; the built path then holds a list, one {"model_file": …} or
#                 {"flake_error": …} per job in the order given. One job's error (a syntax error,
#                 a failed build) fails the whole build: the tool then finds the failing jobs.
#   nixpkgsPath   pkgs = import nixpkgsPath { inherit system; } (a nixpkgs checkout, say)
#   nixpkgsFlake  pkgs = the flake's legacyPackages.<system> (needs flakes, like `flake`)
#   libDir        the directory holding aurora.nix and offline-pkgs.nix
#   system        the Nix system to build for (default: this machine's)
#
# Without nixpkgsPath/nixpkgsFlake, a file job's pkgs is <nixpkgs> from NIX_PATH, else the small
# offline stand-in (see offline-pkgs.nix).
#
# A flake job whose output is missing is not a Nix error: the model holds `flake_error`, one line
# the tool reports as it is (Nix's own error texts and traces differ between versions).
{ jobFile ? "", flake ? "", flakeJob ? "", jobsFile ? "", nixpkgsPath ? "", nixpkgsFlake ? ""
, libDir, system ? builtins.currentSystem }:
let
  # Given as strings (--argstr), so that any file name works.
  asPath = p: if builtins.isPath p then p else /. + p;
  lib = asPath libDir;
  aurora = import (lib + "/aurora.nix");
  names = attrs: builtins.concatStringsSep ", " (builtins.attrNames attrs);

  # A nixpkgs flake: its legacyPackages for the system, else the flake's source imported.
  flakePkgs = f:
    if f ? legacyPackages && f.legacyPackages ? ${system} then f.legacyPackages.${system}
    else import f.outPath { inherit system; };

  hasNixPathNixpkgs = builtins.any
    (e: e.prefix == "nixpkgs"
        || (e.prefix == "" && builtins.pathExists (e.path + "/nixpkgs")))
    builtins.nixPath;

  fileJobPkgs =
    if nixpkgsPath != "" then {
      pkgs = import (asPath nixpkgsPath) { inherit system; };
      source = "nixpkgs ${nixpkgsPath}";
    } else if nixpkgsFlake != "" then {
      pkgs = flakePkgs (builtins.getFlake nixpkgsFlake);
      source = "nixpkgs flake ${nixpkgsFlake}";
    } else if hasNixPathNixpkgs then {
      pkgs = import <nixpkgs> { inherit system; };
      source = "<nixpkgs> from NIX_PATH";
    } else {
      pkgs = import (lib + "/offline-pkgs.nix") { inherit system; };
      source = "offline";
    };

  # One job: { flake_error } for a missing flake output, else { json, name, file, job } with
  # the model (json keeps every process script's context), its store name and the model written
  # at evaluation time.
  evalJob = { jobFile ? "", flake ? "", flakeJob ? "" }:
    let
      theFlake = builtins.getFlake flake;
      flakeJobs = theFlake.auroraJobs or null;
      flakeInputs = theFlake.inputs or { };
      flakeValue = flakeJobs.${system}.${flakeJob};
      # Whether the job function names pkgs (a function of { pkgs, ... }).
      takesPkgs =
        builtins.isFunction flakeValue && (builtins.functionArgs flakeValue) ? pkgs;
      flakeError =
        if flakeJobs == null then
          "has no output auroraJobs (a job is auroraJobs.${system}.${flakeJob})"
        else if !(builtins.isAttrs flakeJobs) || !(flakeJobs ? ${system}) then
          "has no output auroraJobs.${system}"
          + (if builtins.isAttrs flakeJobs then " (it has auroraJobs.{${names flakeJobs}})" else "")
        else if !(flakeJobs.${system} ? ${flakeJob}) then
          "has no output auroraJobs.${system}.${flakeJob} (its jobs: ${names flakeJobs.${system}})"
        else if takesPkgs && !(flakeInputs ? nixpkgs) then
          "has no nixpkgs input, but auroraJobs.${system}.${flakeJob} takes pkgs"
          + " (add inputs.nixpkgs.url to flake.nix, then run nix flake lock)"
        else null;
      nixpkgsInput = flakeInputs.nixpkgs;
      flakeJobPkgs = {
        pkgs =
          if flakeInputs ? nixpkgs then flakePkgs nixpkgsInput
          else throw "${flake} has no nixpkgs input, so its jobs get no pkgs";
        source = "the flake's nixpkgs input"
          + (if flakeInputs ? nixpkgs
             then " (" + (nixpkgsInput.sourceInfo.rev or nixpkgsInput.sourceInfo.narHash or "?") + ")"
             else "");
      };

      isFlake = flake != "";
      chosen = if isFlake then flakeJobPkgs else fileJobPkgs;
      value = if isFlake then flakeValue else import (asPath jobFile);
      job =
        if builtins.isFunction value then value { inherit aurora system; inherit (chosen) pkgs; }
        else value;

      built = aurora.build { inherit job system; };

      model = {
        inherit (built) job system key_positions;
        scripts = builtins.mapAttrs (_: s: "${s}") built.scripts;
        offline_packages = chosen.source == "offline";
        pkgs_source = chosen.source;
      };
    in
    if isFlake && flakeError != null then { flake_error = flakeError; }
    else
      let
        json = builtins.toJSON model;
        name = aurora.storeName
          "aurora-job-${built.job.cluster}-${built.job.role}-${built.job.environment}-${built.job.name}.json";
      in {
        inherit json name;
        # The model is written at evaluation time (toFile: no build step). A builder copying it
        # with /bin/sh's read would make a system call per byte: 0.2 s for a job of 1,000
        # processes (a 220 KB model). toFile takes no string naming a derivation's output, hence
        # the discarded context; the derivation below still has every script as an input.
        file = builtins.toFile name (builtins.unsafeDiscardStringContext json);
      };

  # What nix-build builds and prints: a pointer to the model(s), built once every process
  # script (and so every package) is, since the models' context makes them all inputs.
  pointerDerivation = name: pointer: json: derivation {
    inherit system name;
    builder = "/bin/sh";
    args = [ "-c" "printf '%s' \"$pointer\" > \"$out\"" ];
    inherit pointer;
    __auroraModel = json; # not read: it is here for its inputs (passAsFile: no size limit)
    passAsFile = [ "__auroraModel" ];
    preferLocalBuild = true;
    allowSubstitutes = false;
  };

  single = evalJob { inherit jobFile flake flakeJob; };

  entries = map evalJob (builtins.fromJSON (builtins.readFile (asPath jobsFile)));
  pointerOf = e:
    if e ? flake_error then { inherit (e) flake_error; } else { model_file = e.file; };
  modelsOf = builtins.concatStringsSep "\n" (map (e: e.json or "") entries);
in
if jobsFile != "" then
  pointerDerivation "aurora-jobs-${toString (builtins.length entries)}.json"
    (builtins.toJSON (map pointerOf entries)) modelsOf
else if single ? flake_error then
  aurora.textFile system "aurora-flake-job-error.json"
    (builtins.toJSON { inherit (single) flake_error; inherit system; })
else
  pointerDerivation single.name (builtins.toJSON { model_file = single.file; }) single.json
