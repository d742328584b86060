# nix-aurora's OFFLINE STAND-IN for nixpkgs, as a flake, so the example flake next door builds
# without network. It is NOT nixpkgs: default.nix is a copy of nix-aurora's offline-pkgs.nix
# (hello, python3; a test keeps the two the same). A real flake's nixpkgs input is nixpkgs itself.
{
  description = "nix-aurora's offline stand-in package set (not nixpkgs)";

  outputs = { self }: {
    # What a job in a flake gets as pkgs: legacyPackages.<system>, as nixpkgs' own flake has it.
    legacyPackages = builtins.listToAttrs (map
      (system: { name = system; value = import ./default.nix { inherit system; }; })
      [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ]);
  };
}
