# A job function, as in a job file; in a flake, pkgs is the flake's locked nixpkgs input.
{ aurora, pkgs, ... }:
with aurora;
Service {
  cluster = "devcluster";
  role = "vagrant";
  environment = "devel";
  name = "hello_flake";
  task = Task {
    processes = [
      (Process {
        name = "hello";
        cmdline = "${pkgs.hello}/bin/hello && sleep 3600";
      })
    ];
    resources = Resources { cpu = 1; ram = 1 * MB; disk = 8 * MB; };
  };
}
