# OFFLINE STAND-IN FOR NIXPKGS.
#
# nix-aurora passes this package set as `pkgs` only when nothing is pinned (no --nixpkgs, no
# `nixpkgs` setting, not a flake job) and <nixpkgs> is not on NIX_PATH (machines without a
# channel and without network); examples/flake pins a copy of it as a flake. It is NOT nixpkgs:
# it holds a few packages made with plain derivations, just enough for the examples to build and
# run:
#
#   hello    bin/hello: prints "Hello, world!" (a /bin/sh script)
#   python3  bin/python3: runs THE MACHINE'S OWN python3 (/usr/bin/python3, else python3 on
#            PATH). Its closure is therefore not self-contained: an agent needs python3
#            installed. With nixpkgs, pkgs.python3 is a real, self-contained Python.
#
# The builders use /bin/sh and the host's /bin/mkdir and /bin/chmod (fine with sandbox = false,
# the setting on these machines). Each store path is real, so a cmdline that uses one has it in
# its closure, and realising the process script realises it.
{ system ? builtins.currentSystem }:
let
  # A package holding one executable, bin/<exe>, whose content is `script`.
  scriptPackage = { name, exe, script }: derivation {
    inherit name system script;
    builder = "/bin/sh";
    args = [ "-c" ''
      /bin/mkdir -p "$out/bin"
      printf '%s' "$script" > "$out/bin/${exe}"
      /bin/chmod 555 "$out/bin/${exe}"
    '' ];
    preferLocalBuild = true;
    allowSubstitutes = false;
  };
in
{
  # Marks this set so job files can tell (pkgs.nixAuroraOffline or false).
  nixAuroraOffline = true;

  hello = scriptPackage {
    name = "hello-offline-2.12";
    exe = "hello";
    script = ''
      #!/bin/sh
      # nix-aurora offline stand-in for GNU hello.
      echo "Hello, world!"
    '';
  };

  python3 = scriptPackage {
    name = "python3-offline-stand-in";
    exe = "python3";
    script = ''
      #!/bin/sh
      # nix-aurora offline stand-in for python3: runs the machine's own python3.
      if [ -x /usr/bin/python3 ]; then exec /usr/bin/python3 "$@"; fi
      exec python3 "$@"
    '';
  };
}
