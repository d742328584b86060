# Jobs in a flake, with a pinned package set:
#
#   ./nix-aurora build 'examples/flake#hello'
#   ./nix-aurora create devcluster/vagrant/devel/hello_flake 'examples/flake#hello'
#
# nix-aurora reads the output auroraJobs.<system>.<name>: a job function of
# { aurora, pkgs, system, ... } (as a job file is) or a job. Its pkgs is this flake's `nixpkgs`
# input, exactly as flake.lock pins it (legacyPackages.<system>). nix-aurora never changes
# flake.lock; update it yourself (nix flake lock / nix flake update) to move the pin.
{
  description = "nix-aurora example: a job in a flake, pkgs from the locked nixpkgs input";

  # This example pins nix-aurora's offline stand-in (./nixpkgs) so that it builds without
  # network; in your own flake write e.g. "github:NixOS/nixpkgs/nixos-24.05" and lock it.
  inputs.nixpkgs.url = "path:./nixpkgs";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: builtins.listToAttrs
        (map (system: { name = system; value = f system; }) systems);
    in
    {
      auroraJobs = forAllSystems (system: {
        hello = import ./hello.nix;
      });
    };
}
