# The proof of concept's hello_world job: one process running hello_world.py with Python.
#
#   ./nix-aurora build examples/hello_world
#
# Without <nixpkgs> on NIX_PATH, pkgs is nix-aurora's offline stand-in package set, whose python3
# runs the machine's own python3 (see examples/README.md).
{ aurora, pkgs, ... }:
with aurora;
Service {
  cluster = "devcluster";
  role = "vagrant";
  environment = "devel";
  name = "hello_world";
  task = Task {
    processes = [
      (Process {
        name = "hello_world";
        cmdline = "${pkgs.python3}/bin/python3 ${./hello_world.py}";
      })
    ];
    resources = Resources { cpu = 1; ram = 1 * MB; disk = 8 * MB; };
  };
}
